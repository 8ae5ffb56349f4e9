import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import { GetSpecQuery } from './get-spec/get-spec.query';
import { GetSpecVersionQuery } from './get-spec-version/get-spec-version.query';
import type { SpecVersionView, SpecView } from './spec.view';

/** What the spec mutations return; the entity fields resolve once the read models have the write. */
export interface SpecMutationPayload {
  readonly specId: string | null;
  /** The published version, for importSpecVersion. */
  readonly version: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (...errors: readonly DomainError[]): SpecMutationPayload => ({
  specId: null,
  version: null,
  position: null,
  errors: errors.flatMap(userErrors),
});

abstract class PayloadFields {
  constructor(
    protected readonly queries: QueryBus,
    protected readonly projector: Projector,
  ) {}

  protected async specOf(payload: SpecMutationPayload): Promise<SpecView | null> {
    if (!payload.specId) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetSpecQuery(payload.specId));
  }

  protected async specVersionOf(payload: SpecMutationPayload): Promise<SpecVersionView | null> {
    if (!payload.specId || !payload.version) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetSpecVersionQuery(payload.specId, payload.version));
  }
}

@Resolver('CreateSpecPayload')
export class CreateSpecPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('spec')
  spec(@Parent() payload: SpecMutationPayload) {
    return this.specOf(payload);
  }
}

@Resolver('ImportSpecVersionPayload')
export class ImportSpecVersionPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('spec')
  spec(@Parent() payload: SpecMutationPayload) {
    return this.specOf(payload);
  }

  @ResolveField('specVersion')
  specVersion(@Parent() payload: SpecMutationPayload) {
    return this.specVersionOf(payload);
  }
}
