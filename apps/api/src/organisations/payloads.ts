import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DomainError } from '@kyogi/domain/shared/decider';
import type { Position } from '@kyogi/event-store/port';
import type { Projector } from '@kyogi/read-models/projector';
import { PROJECTOR } from '../platform/tokens';
import { userErrors } from '../graphql/user-errors';
import { readYourWrites } from '../graphql/read-your-writes';
import { GetMembersQuery, GetOrganisationQuery } from './get-organisation/get-organisation.query';
import type { MemberView, OrganisationView } from './organisation.view';

/** What the organisation mutations return; the entity fields resolve once the read models have the write. */
export interface OrganisationMutationPayload {
  readonly organisationId: string | null;
  readonly personId: string | null;
  readonly position: Position | null;
  readonly errors: ReturnType<typeof userErrors>;
}

export const failedPayload = (error: DomainError): OrganisationMutationPayload => ({
  organisationId: null,
  personId: null,
  position: null,
  errors: userErrors(error),
});

abstract class PayloadFields {
  constructor(
    protected readonly queries: QueryBus,
    protected readonly projector: Projector,
  ) {}

  protected async organisationOf(payload: OrganisationMutationPayload): Promise<OrganisationView | null> {
    if (!payload.organisationId) return null;
    await readYourWrites(this.projector, payload.position);
    return this.queries.execute(new GetOrganisationQuery({ id: payload.organisationId }));
  }

  protected async memberOf(payload: OrganisationMutationPayload): Promise<MemberView | null> {
    if (!payload.personId || !payload.organisationId) return null;
    await readYourWrites(this.projector, payload.position);
    const [member] = await this.queries.execute<GetMembersQuery, MemberView[]>(
      new GetMembersQuery({ organisationId: payload.organisationId, personId: payload.personId }),
    );
    return member ?? null;
  }
}

@Resolver('RegisterOrganisationPayload')
export class RegisterOrganisationPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('organisation')
  organisation(@Parent() payload: OrganisationMutationPayload) {
    return this.organisationOf(payload);
  }
}

@Resolver('DeactivateOrganisationPayload')
export class DeactivateOrganisationPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('organisation')
  organisation(@Parent() payload: OrganisationMutationPayload) {
    return this.organisationOf(payload);
  }
}

@Resolver('AddMemberPayload')
export class AddMemberPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('member')
  member(@Parent() payload: OrganisationMutationPayload) {
    return this.memberOf(payload);
  }
}

@Resolver('ChangeMemberRolesPayload')
export class ChangeMemberRolesPayloadResolver extends PayloadFields {
  constructor(queries: QueryBus, @Inject(PROJECTOR) projector: Projector) {
    super(queries, projector);
  }

  @ResolveField('member')
  member(@Parent() payload: OrganisationMutationPayload) {
    return this.memberOf(payload);
  }
}
