import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (where schema/ lives), from source under ts or from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kyogi') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the kyogi repository root above ${from}`);
    dir = parent;
  }
}
