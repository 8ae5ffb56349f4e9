import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Role } from '@kyogi/domain/shared/decider';
import type { Projector } from '@kyogi/read-models/projector';
import { formatPosition } from '@kyogi/event-store/port';
import { PLATFORM, PROJECTOR } from '../platform/tokens';
import type { Platform } from '../platform/platform';
import { GetMembersQuery, GetOrganisationQuery } from '../organisations/get-organisation/get-organisation.query';
import type { MemberView, OrganisationView } from '../organisations/organisation.view';
import { DEMO_USERS } from '../organisations/seed/demo-seed';

@Resolver('Mutation')
export class DemoLoginResolver {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly queries: QueryBus,
  ) {}

  /** Embedded mode only: signs a token for a seeded member, found by e-mail in the read model. */
  @Mutation('demoLogin')
  async demoLogin(@Args('email') email: string) {
    const issuer = this.platform.issuer;
    const refuse = (code: string, message: string) => ({
      token: null,
      expiresAt: null,
      errors: [{ code, message, field: code === 'UNKNOWN_DEMO_USER' ? 'email' : null }],
    });
    if (!issuer) return refuse('DEMO_LOGIN_DISABLED', 'Demo logins exist only in the embedded mode; sign in through your identity provider');
    const [member] = await this.queries.execute<GetMembersQuery, MemberView[]>(new GetMembersQuery({ email: email.trim() }));
    if (!member) return refuse('UNKNOWN_DEMO_USER', `No member has the e-mail ${JSON.stringify(email)}`);
    const organisation = await this.queries.execute<GetOrganisationQuery, OrganisationView | null>(new GetOrganisationQuery({ id: member.organisationId }));
    if (!organisation?.active) return refuse('ORGANISATION_INACTIVE', `${member.organisationId} is not active`);
    const token = await issuer.issue({
      personId: member.personId,
      displayName: member.displayName,
      organisationId: member.organisationId,
      organisationKind: organisation.kind.toLowerCase() as never,
      roles: member.roles.map((r) => r.toLowerCase() as Role),
    });
    return {
      token,
      expiresAt: new Date(
        this.platform.clock().getTime() + (this.platform.config.auth.mode === 'embedded' ? this.platform.config.auth.tokenTtlSeconds : 0) * 1000,
      ),
      errors: [],
    };
  }
}

@Resolver('Query')
export class ServerInfoResolver {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Query('serverInfo')
  serverInfo() {
    const config = this.platform.config;
    // Only where demoLogin works: the embedded issuer, with the demo users seeded.
    const demoUsers =
      config.auth.mode === 'embedded' && config.seedDemo ? DEMO_USERS.map((user) => ({ ...user, roles: user.roles.map((role) => role.toUpperCase()) })) : [];
    const auth = config.auth;
    // The web client signs in through the issuer only when it has a public client id there.
    const oidcSignIn = auth.mode === 'oidc' && auth.webClientId !== null ? { issuer: auth.issuer, clientId: auth.webClientId, scopes: auth.webScopes } : null;
    return { authMode: config.auth.mode.toUpperCase(), readModelPosition: formatPosition(this.projector.currentPosition), demoUsers, oidcSignIn };
  }
}
