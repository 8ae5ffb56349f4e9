/** A one-line progress bar on a terminal; plain lines every 10 % elsewhere (CI logs). */
export function progressBar(label: string, total: number | null, out: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastDecile = -1;
  const render = (done: number, final = false) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const fraction = total ? Math.min(1, done / total) : null;
    const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    const text = `${label} ${bar}${done}${total ? `/${total}` : ''} events, ${rate} events/s`;
    if (final && !out.isTTY && lastDecile === (fraction === null ? -2 : 10)) return;
    if (out.isTTY) {
      out.write(`\r${text}${final ? '\n' : ''}`);
    } else {
      const decile = fraction === null ? Math.floor(done / 10_000) : Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        out.write(`${text}\n`);
      }
    }
  };
  return { update: (done: number) => render(done), finish: (done: number) => render(done, true) };
}
