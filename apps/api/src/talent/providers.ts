import type { Provider } from '@nestjs/common';
import { CommandSender } from '../command-handling/command-sender';
import { TalentLookups } from './lookups';
import {
  GetTalentArrangementHandler,
  GetTalentCandidatesHandler,
  GetTalentChecklistHandler,
  GetTalentParticipantsHandler,
  GetTalentProblemsHandler,
  GetTalentTermsHistoryHandler,
} from './get-arrangement/get-arrangement.query';
import {
  GetTalentArrangementResolver,
  TalentArrangementFieldsResolver,
  TalentCostShareFieldsResolver,
  TalentParticipantFieldsResolver,
} from './get-arrangement/get-arrangement.resolver';
import { ListTalentArrangementsHandler } from './list-arrangements/list-arrangements.query';
import { ListTalentArrangementsResolver } from './list-arrangements/list-arrangements.resolver';
import { CalculateTalentCostResolver } from './calculate-cost/calculate-cost.resolver';
import { GetTalentPoolHandler, GetTalentPoolPeopleHandler, ListTalentDispatchesHandler, ListTalentPoolsHandler } from './get-pool/get-pool.query';
import { GetTalentPoolResolver, TalentPoolFieldsResolver } from './get-pool/get-pool.resolver';
import { ProposeTalentArrangementResolver } from './propose-arrangement/propose-arrangement.resolver';
import { ChangeTalentTermsResolver } from './change-terms/change-terms.resolver';
import { LeaveTalentArrangementResolver } from './leave-arrangement/leave-arrangement.resolver';
import { ConsentToTalentTermsResolver } from './consent-to-terms/consent-to-terms.resolver';
import { DeclineTalentTermsResolver } from './decline-terms/decline-terms.resolver';
import { ListTalentProblemsResolver } from './list-problems/list-problems.resolver';
import { DefineTalentRequirementsResolver } from './define-requirements/define-requirements.resolver';
import { OpenTalentSelectionResolver } from './open-selection/open-selection.resolver';
import { AddTalentCandidateResolver } from './add-candidate/add-candidate.resolver';
import { SelectTalentCandidateResolver } from './select-candidate/select-candidate.resolver';
import { SetTalentOnboardingChecklistResolver } from './set-checklist/set-checklist.resolver';
import { CompleteTalentChecklistItemResolver } from './complete-checklist-item/complete-checklist-item.resolver';
import { ActivateTalentArrangementResolver } from './activate-arrangement/activate-arrangement.resolver';
import { EndTalentArrangementResolver } from './end-arrangement/end-arrangement.resolver';
import { OpenTalentPoolResolver } from './open-pool/open-pool.resolver';
import { AddTalentPoolPersonResolver } from './add-pool-person/add-pool-person.resolver';
import { ChangeTalentPoolPersonCapacityResolver } from './change-pool-person-capacity/change-pool-person-capacity.resolver';
import { DispatchTalentPoolPersonResolver } from './dispatch-pool-person/dispatch-pool-person.resolver';
import { EndTalentPoolDispatchResolver } from './end-pool-dispatch/end-pool-dispatch.resolver';
import { TalentArrangementChangedEventFieldsResolver, TalentArrangementChangedResolver } from './arrangement-changed/arrangement-changed.resolver';
import { TalentArrangementPayloadResolver, TalentPoolPayloadResolver } from './payloads';

/** Everything the talent-sharing context (人材シェアリング) adds to the app module. */
export const TALENT_PROVIDERS: readonly Provider[] = [
  CommandSender,
  TalentLookups,
  GetTalentArrangementHandler,
  GetTalentParticipantsHandler,
  GetTalentTermsHistoryHandler,
  GetTalentProblemsHandler,
  GetTalentCandidatesHandler,
  GetTalentChecklistHandler,
  GetTalentArrangementResolver,
  TalentArrangementFieldsResolver,
  TalentParticipantFieldsResolver,
  TalentCostShareFieldsResolver,
  ListTalentArrangementsHandler,
  ListTalentArrangementsResolver,
  CalculateTalentCostResolver,
  GetTalentPoolHandler,
  ListTalentPoolsHandler,
  GetTalentPoolPeopleHandler,
  ListTalentDispatchesHandler,
  GetTalentPoolResolver,
  TalentPoolFieldsResolver,
  ProposeTalentArrangementResolver,
  ChangeTalentTermsResolver,
  LeaveTalentArrangementResolver,
  ConsentToTalentTermsResolver,
  DeclineTalentTermsResolver,
  ListTalentProblemsResolver,
  DefineTalentRequirementsResolver,
  OpenTalentSelectionResolver,
  AddTalentCandidateResolver,
  SelectTalentCandidateResolver,
  SetTalentOnboardingChecklistResolver,
  CompleteTalentChecklistItemResolver,
  ActivateTalentArrangementResolver,
  EndTalentArrangementResolver,
  OpenTalentPoolResolver,
  AddTalentPoolPersonResolver,
  ChangeTalentPoolPersonCapacityResolver,
  DispatchTalentPoolPersonResolver,
  EndTalentPoolDispatchResolver,
  TalentArrangementChangedResolver,
  TalentArrangementChangedEventFieldsResolver,
  TalentArrangementPayloadResolver,
  TalentPoolPayloadResolver,
];
