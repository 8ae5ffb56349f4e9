/**
 * A bad configuration stops the app before it touches anything: exit status 2 and one line on
 * stderr naming the variable and what it may be.
 */
import { readdirSync } from 'node:fs';
import { makeDataDir, runAppToExit, stopAllApps } from '../support/app-process';

// jest.config.js sets testTimeout on the e2e project, but Jest reads it only from the global config.
jest.setTimeout(120_000);

afterAll(async () => {
  await stopAllApps();
});

async function refusedStart(env: Record<string, string | undefined>) {
  const dataDir = makeDataDir('config');
  const result = await runAppToExit({ dataDir, env, timeoutMs: 30_000 });
  expect(result.timedOut).toBe(false);
  expect(result.stdout).not.toContain('ready at');
  expect(readdirSync(dataDir)).toEqual([]); // nothing started: no cluster, no keys, no lock
  return { ...result, lines: result.stderr.split('\n').filter((line) => line.trim() !== '') };
}

describe('configuration errors', () => {
  it('PORT=abc: exit 2, one stderr line naming PORT and the range 1–65535', async () => {
    const { code, signal, lines } = await refusedStart({ PORT: 'abc' });
    expect({ code, signal }).toEqual({ code: 2, signal: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT="abc"');
    expect(lines[0]).toContain('1–65535');
  });

  it('PORT=70000 is out of range the same way', async () => {
    const { code, lines } = await refusedStart({ PORT: '70000' });
    expect(code).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/PORT="70000".*1–65535/)]);
  });

  it('NODE_ENV=production with the default AUTH_MODE (embedded): exit 2, one line naming AUTH_MODE', async () => {
    const { code, signal, lines } = await refusedStart({ NODE_ENV: 'production', AUTH_MODE: undefined, DATABASE_URL: 'postgres://kyogi@127.0.0.1:1/none' });
    expect({ code, signal }).toEqual({ code: 2, signal: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AUTH_MODE="embedded" \(the default\)/);
    expect(lines[0]).toContain('oidc');
  });
});
