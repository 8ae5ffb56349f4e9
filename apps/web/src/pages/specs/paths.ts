/** The specs area's URL patterns (apart from routes.tsx, so that pages can link without a cycle). */
export const SPEC_PATHS = {
  list: '/specs',
  spec: '/specs/:specId',
  version: '/specs/:specId/versions/:version',
} as const;
