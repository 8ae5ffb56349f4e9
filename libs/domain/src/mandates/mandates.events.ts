import { DomainEvent, streamName } from '../shared/decider';

export const MANDATE_CATEGORY = 'Mandate';

/** `Mandate-<mandateId>`. */
export const mandateStreamName = (mandateId: string): string => streamName(MANDATE_CATEGORY, mandateId);

/** One consultation, or every consultation on specs of one domain (e.g. `juminkiroku`). */
export type MandateScope = { readonly kind: 'consultation'; readonly consultationId: string } | { readonly kind: 'domain'; readonly domain: string };

export interface MandateGrantedData {
  readonly mandateId: string;
  /** The organisation whose stances the grantee may cast. */
  readonly grantorOrganisationId: string;
  /** Usually the grantor's prefecture. */
  readonly granteeOrganisationId: string;
  readonly scope: MandateScope;
  /** ISO 8601 (UTC, milliseconds); the mandate is valid strictly before it. */
  readonly expiresAt: string;
  readonly grantedAt: string;
  readonly grantedByPersonId: string;
}
export type MandateGranted = DomainEvent<'MandateGranted', MandateGrantedData>;

/** Stops further use; stances cast under the mandate stay as cast (their events keep the mandateId). */
export interface MandateRevokedData {
  readonly mandateId: string;
  readonly reason: string;
  readonly revokedAt: string;
  readonly revokedByPersonId: string;
}
export type MandateRevoked = DomainEvent<'MandateRevoked', MandateRevokedData>;

export type MandateEvent = MandateGranted | MandateRevoked;
