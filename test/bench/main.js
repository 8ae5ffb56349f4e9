#!/usr/bin/env node
// Entry point of `npm run bench`: runs test/bench/run.ts in place (see register.js).
'use strict';
require('./register.js');

require('./run.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
