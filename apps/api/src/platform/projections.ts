import { organisationsProjection } from '@kyogi/read-models/organisations/organisations.projection';
import { specsProjection } from '@kyogi/read-models/specs/specs.projection';
import { proposalsProjection } from '@kyogi/read-models/proposals/proposals.projection';
import { commentsProjection } from '@kyogi/read-models/comments/comments.projection';
import { consultationsProjection } from '@kyogi/read-models/consultations/consultations.projection';
import { mandatesProjection } from '@kyogi/read-models/mandates/mandates.projection';
import { laddersProjection } from '@kyogi/read-models/ladders/ladders.projection';
import { talentProjection } from '@kyogi/read-models/talent/talent.projection';
import { activityProjection } from '@kyogi/read-models/activity/activity.projection';

/** Every read model the platform keeps, in the order the projector applies them (Nest-free, for the CLI and the tests). */
export const PROJECTIONS = [
  organisationsProjection,
  specsProjection,
  proposalsProjection,
  commentsProjection,
  mandatesProjection,
  consultationsProjection,
  laddersProjection,
  talentProjection,
  activityProjection,
];
