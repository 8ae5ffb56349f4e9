import type { Provider } from '@nestjs/common';
import { GetHistoryHandler } from './get-history.query';
import { GetOrganisationActivityHandler } from './organisation-activity.query';
import { HistoryActorFieldsResolver, HistoryResolver, OrganisationActivityFieldsResolver } from './history.resolver';
import {
  GetConsultationAsOfHandler,
  GetLadderAsOfHandler,
  GetOrganisationAsOfHandler,
  GetProposalAsOfHandler,
  GetSpecAsOfHandler,
  GetTalentArrangementAsOfHandler,
  GetTalentPoolAsOfHandler,
} from '../as-of/get-as-of.query';
import {
  ConsultationAsOfFieldResolver,
  LadderAsOfFieldResolver,
  OrganisationAsOfFieldResolver,
  ProposalAsOfFieldResolver,
  SpecAsOfFieldResolver,
  TalentArrangementAsOfFieldResolver,
  TalentPoolAsOfFieldResolver,
} from '../as-of/as-of-fields.resolver';

/**
 * Everything the audit history adds to the app module: `history`, `organisationActivity`, and the
 * as-of reads behind `consultation(asOf:)`, `proposal(asOf:)`, `talentArrangement(asOf:)`, `organisation(asOf:)`,
 * `spec(asOf:)`, `ladder(asOf:)` and `talentPool(asOf:)` (whose Query fields stay with
 * their own contexts and hand an `asOf` over to these handlers).
 */
export const HISTORY_PROVIDERS: readonly Provider[] = [
  GetHistoryHandler,
  GetOrganisationActivityHandler,
  HistoryResolver,
  HistoryActorFieldsResolver,
  OrganisationActivityFieldsResolver,
  GetConsultationAsOfHandler,
  GetProposalAsOfHandler,
  ConsultationAsOfFieldResolver,
  ProposalAsOfFieldResolver,
  GetTalentArrangementAsOfHandler,
  TalentArrangementAsOfFieldResolver,
  GetOrganisationAsOfHandler,
  OrganisationAsOfFieldResolver,
  GetSpecAsOfHandler,
  SpecAsOfFieldResolver,
  GetLadderAsOfHandler,
  LadderAsOfFieldResolver,
  GetTalentPoolAsOfHandler,
  TalentPoolAsOfFieldResolver,
];
