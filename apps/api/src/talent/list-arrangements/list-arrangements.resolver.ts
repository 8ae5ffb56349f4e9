import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../../platform/tokens';
import { graphqlError, requireActor, type RequestContext } from '../../graphql/request-context';
import { readYourWrites } from '../../graphql/read-your-writes';
import type { TalentPhase } from '../../graphql/generated/schema-types';
import { phaseFromGraphql } from '../talent.view';
import { ListTalentArrangementsQuery, type TalentArrangementPage } from './list-arrangements.query';

@Resolver('Query')
export class ListTalentArrangementsResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('talentArrangements')
  async talentArrangements(
    @Context() context: RequestContext,
    @Args('participantOrganisationId') participantOrganisationId: string | null,
    @Args('phase') phase: TalentPhase | null,
    @Args('prefectureCode') prefectureCode: string | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('waitFor') waitFor: Position | null,
  ): Promise<TalentArrangementPage> {
    const actor = requireActor(context, 'talent.read');
    await readYourWrites(this.projector, waitFor);
    const result = await this.queries.execute<ListTalentArrangementsQuery, TalentArrangementPage | DomainError>(
      new ListTalentArrangementsQuery(
        actor,
        { participantOrganisationId: participantOrganisationId ?? null, phase: phase ? phaseFromGraphql(phase) : null, prefectureCode: prefectureCode ?? null },
        first ?? 50,
        after ?? null,
      ),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
