import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ConsultationView } from '../../consultations/consultation.view';
import type { ProposalView } from '../../proposals/proposal.view';
import { consultationAsOfOf } from './consultation-as-of';
import { proposalAsOfOf } from './proposal-as-of';
import type { TalentArrangementView } from '../../talent/talent.view';
import { talentArrangementAsOfOf } from './talent-arrangement-as-of';
import type { OrganisationView } from '../../organisations/organisation.view';
import { organisationAsOfOf } from './organisation-as-of';
import type { SpecView } from '../../specs/spec.view';
import { specAsOfOf } from './spec-as-of';
import type { LadderView } from '../../ladders/ladder.view';
import { ladderAsOfOf } from './ladder-as-of';
import type { TalentPoolView } from '../../talent/talent.view';
import { talentPoolAsOfOf } from './talent-pool-as-of';

@Resolver('Consultation')
export class ConsultationAsOfFieldResolver {
  /** The moment a consultation read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() consultation: ConsultationView): Date | null {
    return consultationAsOfOf(consultation)?.at ?? null;
  }
}

@Resolver('Proposal')
export class ProposalAsOfFieldResolver {
  /** The moment a proposal read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() proposal: ProposalView): Date | null {
    return proposalAsOfOf(proposal)?.at ?? null;
  }
}

@Resolver('TalentArrangement')
export class TalentArrangementAsOfFieldResolver {
  /** The moment an arrangement read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() arrangement: TalentArrangementView): Date | null {
    return talentArrangementAsOfOf(arrangement)?.at ?? null;
  }
}

@Resolver('Organisation')
export class OrganisationAsOfFieldResolver {
  /** The moment an organisation read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() organisation: OrganisationView): Date | null {
    return organisationAsOfOf(organisation)?.at ?? null;
  }
}

@Resolver('Spec')
export class SpecAsOfFieldResolver {
  /** The moment a spec read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() spec: SpecView): Date | null {
    return specAsOfOf(spec)?.at ?? null;
  }
}

@Resolver('Ladder')
export class LadderAsOfFieldResolver {
  /** The moment a ladder read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() ladder: LadderView): Date | null {
    return ladderAsOfOf(ladder)?.at ?? null;
  }
}

@Resolver('TalentPool')
export class TalentPoolAsOfFieldResolver {
  /** The moment a pool read with `asOf` is shown as of; null when read now. */
  @ResolveField('asOf')
  asOf(@Parent() pool: TalentPoolView): Date | null {
    return talentPoolAsOfOf(pool)?.at ?? null;
  }
}
