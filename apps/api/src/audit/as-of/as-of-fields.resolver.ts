import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ConsultationView } from '../../consultations/consultation.view';
import type { ProposalView } from '../../proposals/proposal.view';
import { consultationAsOfOf } from './consultation-as-of';
import { proposalAsOfOf } from './proposal-as-of';
import type { TalentArrangementView } from '../../talent/talent.view';
import { talentArrangementAsOfOf } from './talent-arrangement-as-of';

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
