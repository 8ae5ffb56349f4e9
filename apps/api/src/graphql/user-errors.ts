import type { DomainError } from '@kyogi/domain/shared/decider';

/** Expected failures → the `errors` list of a mutation payload: the one place they are mapped. */
export const userErrors = (error: DomainError) => [{ code: error.code, message: error.message, field: error.field ?? null }];
