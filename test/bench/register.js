// Compiles each TypeScript file on require with @swc/core and the project's own .swcrc (the same
// compiler and settings as `npm run build` and Jest), in place: `node -r ./test/bench/register.js
// file.ts`. In place, not from dist/, because test/support/app-process.ts finds the repository
// (and dist/apps/api/src/main.js) relative to its own directory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = path.resolve(__dirname, '..', '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
delete swcrc.$schema;
delete swcrc.exclude;
const options = {
  ...swcrc,
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: { ...swcrc.jsc, baseUrl: ROOT },
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
