import type { CodegenConfig } from '@graphql-codegen/cli';

// TypeScript types for the GraphQL schema in schema/*.graphql (`npm run codegen`; CI checks
// that the committed output is current).
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'apps/api/src/graphql/generated/schema-types.ts': {
      plugins: ['typescript'],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        maybeValue: 'T | null',
        inputMaybeValue: 'T | null | undefined',
        scalars: { DateTime: 'Date', Position: 'string', ID: 'string' },
        useTypeImports: true,
      },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
};
export default config;
