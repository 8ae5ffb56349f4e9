/**
 * Every area of the client, in navigation order. Registering an area is one line here (plus its
 * import): its routes, nav entries and translations come with it (see app/area.ts and
 * pages/specs/area.ts for an example).
 */
import type { Area } from './area';
import { specsArea } from '../pages/specs/area';
import { proposalsArea } from '../pages/proposals/area';
import { consultationsArea } from '../pages/consultations/area';
import { talentArea } from '../pages/talent/area';
import { auditArea } from '../pages/audit/area';

export const AREAS: readonly Area[] = [specsArea, proposalsArea, consultationsArea, talentArea, auditArea];
