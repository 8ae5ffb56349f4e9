/** The proposals area's URL patterns (apart from routes.tsx, so that pages can link without a cycle). */
export const PROPOSAL_PATHS = {
  list: '/proposals',
  new: '/proposals/new',
  proposal: '/proposals/:proposalId',
  edit: '/proposals/:proposalId/edit',
} as const;
