import type { Actor } from '@kyogi/domain/shared/decider';

/** A member of a municipality (札幌市, 011002) for the live layer's specs; `over` changes what a case needs. */
export const actor = (over: Partial<Actor> = {}): Actor => ({
  personId: 'p1',
  organisationId: '011002',
  organisationKind: 'municipality',
  roles: ['member'],
  ...over,
});
