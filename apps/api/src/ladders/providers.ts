import type { Provider } from '@nestjs/common';
import { GetLadderHandler } from './get-ladder/get-ladder.query';
import {
  ConsultationLadderResolver,
  GetLadderResolver,
  LadderFieldsResolver,
  LadderRoundFieldsResolver,
  ProposalLadderResolver,
} from './get-ladder/get-ladder.resolver';
import { ChooseLadderResolver } from './choose-ladder/choose-ladder.resolver';
import { RecordLadderDecisionResolver } from './record-ladder-decision/record-ladder-decision.resolver';
import { LadderChangedEventFieldsResolver, LadderChangedResolver } from './ladder-changed/ladder-changed.resolver';
import { LadderPayloadResolver } from './payloads';

/** Everything the ladders context adds to the app module (the runner comes from the platform; its scheduler runs beside the projector). */
export const LADDER_PROVIDERS: readonly Provider[] = [
  GetLadderHandler,
  GetLadderResolver,
  LadderFieldsResolver,
  LadderRoundFieldsResolver,
  ProposalLadderResolver,
  ConsultationLadderResolver,
  ChooseLadderResolver,
  RecordLadderDecisionResolver,
  LadderChangedResolver,
  LadderChangedEventFieldsResolver,
  LadderPayloadResolver,
];
