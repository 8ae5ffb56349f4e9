import type { Provider } from '@nestjs/common';
import { ConsultationLookups } from './lookups';
import { GetConsultationHandler, GetDraftsHandler, GetNonRespondentsHandler, GetStancesHandler } from './get-consultation/get-consultation.query';
import { ConsultationFieldsResolver, GetConsultationResolver, NonRespondentFieldsResolver } from './get-consultation/get-consultation.resolver';
import { ListConsultationsHandler } from './list-consultations/list-consultations.query';
import { ListConsultationsResolver } from './list-consultations/list-consultations.resolver';
import { OpenConsultationResolver } from './open-consultation/open-consultation.resolver';
import { DraftStanceResolver } from './draft-stance/draft-stance.resolver';
import { ApproveStanceResolver } from './approve-stance/approve-stance.resolver';
import { CloseConsultationResolver } from './close-consultation/close-consultation.resolver';
import { ConsultationChangedEventFieldsResolver, ConsultationChangedResolver } from './consultation-changed/consultation-changed.resolver';
import { ConsultationPayloadResolver } from './payloads';

/** Everything the consultations context adds to the app module (the closing scheduler runs in the platform, beside the projector). */
export const CONSULTATION_PROVIDERS: readonly Provider[] = [
  ConsultationLookups,
  GetConsultationHandler,
  GetNonRespondentsHandler,
  GetStancesHandler,
  GetDraftsHandler,
  GetConsultationResolver,
  ConsultationFieldsResolver,
  NonRespondentFieldsResolver,
  ListConsultationsHandler,
  ListConsultationsResolver,
  OpenConsultationResolver,
  DraftStanceResolver,
  ApproveStanceResolver,
  CloseConsultationResolver,
  ConsultationChangedResolver,
  ConsultationChangedEventFieldsResolver,
  ConsultationPayloadResolver,
];
