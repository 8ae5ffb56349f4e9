import type { TermsInput } from '@kyogi/domain/talent/arrangements.commands';
import type { TalentTermsInput } from '../graphql/generated/schema-types';
import { splitRuleFromGraphql } from './talent.view';

/**
 * GraphQL's terms → the decider's TermsInput, unvalidated: missing figures stay null and the
 * decider names the field at fault (e.g. terms.participants[2].daysPerMonth).
 */
export const termsInput = (input: TalentTermsInput): TermsInput => ({
  startDate: input.startDate,
  endDate: input.endDate,
  annualCostYen: input.annualCostYen,
  hostOrganisationId: input.hostOrganisationId,
  participants: input.participants.map((p) => ({
    organisationId: p.organisationId,
    population: p.population ?? null,
    daysPerMonth: (p.daysPerMonth ?? null) as number,
  })),
  splitRule: splitRuleFromGraphql(input.splitRule),
  subsidyPercent: input.subsidyPercent ?? null,
});
