import path from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { bearerToken, TokenError, type TokenVerifier, type VerifiedIdentity } from '@kyogi/auth/token-verifier';
import { VerifiedTokenCache } from './auth/verified-token-cache';
import type { Platform } from './platform/platform';
import { repoRoot } from './platform/repo-root';
import { CHANGE_FEED, CLOCK, EVENT_STORE, PLATFORM, PROJECTOR, READ_DB } from './platform/tokens';
import type { RequestContext } from './graphql/request-context';
import { originAllowed } from '@kyogi/live/origin';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.plugin';
import type { GraphQLSchema } from 'graphql';
import { applyInputRules } from './security/input-rules';
import { sharedSubscribe } from './graphql/shared-subscribe';
import { graphqlWsGuard, limitRules, maskSuggestionsPlugin, tokenLimitError } from './security/graphql-limits';
import { clientAddress, rateLimitedHttpError, type RateLimits } from './security/rate-limits';
import { DateTimeScalar, PositionScalar } from './graphql/scalars';
import { noStorePlugins } from './graphql/no-store.plugin';
import { readCachePlugin } from './graphql/read-cache.plugin';
import { DecideCommandHandler } from './command-handling/decide.command';
import { HealthController } from './health/health.controller';
import { StartupState } from './health/startup-state';
import { DemoLoginResolver, ServerInfoResolver } from './auth/demo-login.resolver';
import { ListOrganisationsHandler } from './organisations/list-organisations/list-organisations.query';
import { ListOrganisationsResolver } from './organisations/list-organisations/list-organisations.resolver';
import { GetMembersHandler, GetOrganisationHandler, GetOrganisationsByIdHandler } from './organisations/get-organisation/get-organisation.query';
import { GetOrganisationResolver, MemberFieldsResolver, OrganisationFieldsResolver } from './organisations/get-organisation/get-organisation.resolver';
import { RegisterOrganisationResolver } from './organisations/register-organisation/register-organisation.resolver';
import { AddMemberResolver } from './organisations/add-member/add-member.resolver';
import { ChangeMemberRolesResolver } from './organisations/change-member-roles/change-member-roles.resolver';
import { DeactivateOrganisationResolver } from './organisations/deactivate-organisation/deactivate-organisation.resolver';
import {
  AddMemberPayloadResolver,
  ChangeMemberRolesPayloadResolver,
  DeactivateOrganisationPayloadResolver,
  RegisterOrganisationPayloadResolver,
} from './organisations/payloads';
import { OrganisationChangeFieldsResolver, OrganisationChangedResolver } from './organisations/organisation-changed/organisation-changed.resolver';
import { MeResolver } from './organisations/me/me.resolver';
import { PROPOSAL_PROVIDERS } from './proposals/providers';
import { COMMENT_PROVIDERS } from './comments/providers';
import { MANDATE_PROVIDERS } from './mandates/providers';
import { CONSULTATION_PROVIDERS } from './consultations/providers';
import { LADDER_PROVIDERS } from './ladders/providers';
import { AUDIT_CONTROLLERS, AUDIT_PROVIDERS } from './audit/providers';
import { TALENT_PROVIDERS } from './talent/providers';
import { HISTORY_PROVIDERS } from './audit/history/providers';
import { MATRIX_CONTROLLERS, MATRIX_PROVIDERS } from './matrix/providers';
import { LADDER_RUNNER } from './ladders/tokens';
import { securityLogModule } from './security-log/providers';
import { ListSpecsHandler } from './specs/list-specs/list-specs.query';
import { ListSpecsResolver } from './specs/list-specs/list-specs.resolver';
import { GetSpecHandler } from './specs/get-spec/get-spec.query';
import { GetSpecResolver, SpecFieldsResolver } from './specs/get-spec/get-spec.resolver';
import { GetSpecVersionHandler, ListSpecVersionsHandler } from './specs/get-spec-version/get-spec-version.query';
import { GetSpecVersionResolver, SpecVersionFieldsResolver } from './specs/get-spec-version/get-spec-version.resolver';
import { ListRequirementsHandler } from './specs/list-requirements/list-requirements.query';
import { ListRequirementsResolver } from './specs/list-requirements/list-requirements.resolver';
import { GetRequirementHandler } from './specs/get-requirement/get-requirement.query';
import { GetRequirementResolver, SpecVersionRequirementResolver } from './specs/get-requirement/get-requirement.resolver';
import { CreateSpecResolver } from './specs/create-spec/create-spec.resolver';
import { ImportSpecVersionResolver } from './specs/import-spec-version/import-spec-version.resolver';
import { CreateSpecPayloadResolver, ImportSpecVersionPayloadResolver } from './specs/payloads';
import { SpecChangedResolver, SpecChangeFieldsResolver } from './specs/spec-changed/spec-changed.resolver';

async function identify(verifier: TokenVerifier, header: unknown): Promise<RequestContext> {
  const token = bearerToken(typeof header === 'string' ? header : undefined);
  if (!token) return { identity: null, authError: null };
  try {
    return { identity: await verifier.verify(token), authError: null };
  } catch (error) {
    return { identity: null, authError: error instanceof TokenError ? error : new TokenError('TOKEN_INVALID') };
  }
}

/** graphql-ws keeps the identity verified at connection_init and checks its expiry on every subscribe. */
interface SocketExtra {
  identity?: VerifiedIdentity;
  expiryTimer?: NodeJS.Timeout;
  unwatch?: () => void;
  revoked?: boolean;
  /** Counted in kyogi_live_connected_clients until onClose. */
  counted?: boolean;
  socket?: { close(code: number, reason: string): void };
  request?: { headers: Record<string, string | string[] | undefined> };
}

@Module({})
export class AppModule {
  static forPlatform(platform: Platform, rateLimits: RateLimits): DynamicModule {
    const production = platform.config.nodeEnv === 'production';
    const limits = platform.config.limits;
    /** The executable schema, input rules applied; graphql-ws validates against it. */
    let executableSchema: GraphQLSchema | undefined;
    const security = securityLogModule(platform, new Logger('Security'));
    // The embedded issuer's tokens verify the same way every time until they expire (auth/verified-token-cache.ts).
    const verifier = platform.config.auth.mode === 'embedded' ? new VerifiedTokenCache(platform.verifier, platform.clock) : platform.verifier;
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          typePaths: [path.join(repoRoot(), 'schema', '*.graphql')],
          path: '/graphql',
          resolvers: { DateTime: DateTimeScalar, Position: PositionScalar },
          introspection: !production,
          graphiql: !production,
          // Depth, aliases, directives and cost (security/graphql-limits.ts); tokens are counted in the context below.
          validationRules: limitRules(limits.graphql),
          transformSchema: (schema: GraphQLSchema) => (executableSchema = applyInputRules(schema)),
          csrfPrevention: true,
          includeStacktraceInErrorResponses: false,
          allowBatchedHttpRequests: false,
          plugins: [
            security.plugin,
            graphqlMetricsPlugin(platform.metrics),
            ...noStorePlugins(),
            readCachePlugin(platform.readCache, (hit) => platform.metrics.recordReadCacheLookup(hit)),
            ...(production ? [maskSuggestionsPlugin()] : []),
          ],
          context: async (ctx: { req?: { headers: Record<string, unknown> }; extra?: SocketExtra }): Promise<RequestContext> => {
            if (ctx.extra) {
              const identity = ctx.extra.identity;
              if (identity && !ctx.extra.revoked && identity.expiresAt.getTime() > platform.clock().getTime()) return { identity, authError: null };
              return { identity: null, authError: new TokenError(!identity ? 'TOKEN_MISSING' : ctx.extra.revoked ? 'TOKEN_INVALID' : 'TOKEN_EXPIRED') };
            }
            const request = ctx.req as (Parameters<typeof clientAddress>[0] & { body?: unknown; query?: unknown }) | undefined;
            const context = await identify(verifier, ctx.req?.headers.authorization);
            // Refused here, before Apollo parses: 429 with Retry-After, or 400 for too many tokens.
            if (request) {
              const verdict = await rateLimits.consume({
                address: clientAddress(request, limits.trustProxyHops),
                personId: context.identity?.actor.personId ?? null,
              });
              if (!verdict.ok) throw rateLimitedHttpError(verdict);
            }
            const tooLong = tokenLimitError(request, limits.graphql.maxTokens);
            if (tooLong) throw tooLong;
            // The client's address, for the security log (see security/rate-limits.ts for proxies).
            return { ...context, clientAddress: request ? clientAddress(request, limits.trustProxyHops) : null };
          },
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              // graphql-ws parses and validates by itself: the same limits, rate limits and (in production) no introspection.
              onSubscribe: graphqlWsGuard({ schema: () => executableSchema, limits, production, rateLimits }),
              // An event is executed once for the subscribers with the same document and variables, unless its fields read who
              // asks (graphql/shared-subscribe.ts). Nest's typings leave out graphql-ws's `subscribe`, but Nest hands this whole
              // object to graphql-ws's useServer, after its own default: spread, so that the typings let it through.
              ...{ subscribe: sharedSubscribe() },
              onConnect: async (ctx) => {
                const extra = ctx.extra as SocketExtra;
                if (!originAllowed(extra.request?.headers.origin, platform.config.allowedOrigins, extra.request?.headers.host)) return false; // 4403 Forbidden
                const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
                const { identity } = await identify(verifier, params.authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined));
                if (!identity) return false; // graphql-ws closes with 4403 Forbidden
                extra.identity = identity;
                // The connection ends with its token: 4403, as graphql-ws does for a refused init.
                const ttl = Math.min(identity.expiresAt.getTime() - platform.clock().getTime(), 2 ** 31 - 1);
                extra.expiryTimer = setTimeout(() => extra.socket?.close(4403, 'Token expired'), Math.max(0, ttl));
                // … or earlier, when its roles change or its organisation is deactivated.
                extra.unwatch = platform.revocations.watch(identity.actor, (reason) => {
                  extra.revoked = true;
                  extra.socket?.close(4403, `Token revoked: ${reason}`);
                });
                extra.counted = true;
                platform.metrics.graphqlWsConnected();
                return true;
              },
              onClose: (ctx) => {
                const extra = ctx.extra as SocketExtra;
                if (extra.counted) platform.metrics.graphqlWsDisconnected();
                extra.counted = false;
                clearTimeout(extra.expiryTimer);
                extra.unwatch?.();
              },
            },
          },
        }),
      ],
      controllers: [HealthController, ...AUDIT_CONTROLLERS, ...MATRIX_CONTROLLERS],
      providers: [
        { provide: PLATFORM, useValue: platform },
        { provide: EVENT_STORE, useValue: platform.store },
        { provide: READ_DB, useValue: platform.pool },
        { provide: PROJECTOR, useValue: platform.projector },
        { provide: CHANGE_FEED, useValue: platform.feed },
        { provide: CLOCK, useValue: platform.clock },
        { provide: LADDER_RUNNER, useValue: platform.ladders },
        StartupState,
        DecideCommandHandler,
        ListOrganisationsHandler,
        GetOrganisationHandler,
        GetOrganisationsByIdHandler,
        GetMembersHandler,
        ListOrganisationsResolver,
        GetOrganisationResolver,
        OrganisationFieldsResolver,
        MemberFieldsResolver,
        RegisterOrganisationResolver,
        RegisterOrganisationPayloadResolver,
        AddMemberResolver,
        AddMemberPayloadResolver,
        ChangeMemberRolesResolver,
        ChangeMemberRolesPayloadResolver,
        DeactivateOrganisationResolver,
        DeactivateOrganisationPayloadResolver,
        OrganisationChangedResolver,
        OrganisationChangeFieldsResolver,
        MeResolver,
        ListSpecsHandler,
        ListSpecsResolver,
        GetSpecHandler,
        GetSpecResolver,
        SpecFieldsResolver,
        GetSpecVersionHandler,
        ListSpecVersionsHandler,
        GetSpecVersionResolver,
        SpecVersionFieldsResolver,
        ListRequirementsHandler,
        ListRequirementsResolver,
        GetRequirementHandler,
        GetRequirementResolver,
        SpecVersionRequirementResolver,
        CreateSpecResolver,
        CreateSpecPayloadResolver,
        ImportSpecVersionResolver,
        ImportSpecVersionPayloadResolver,
        SpecChangedResolver,
        SpecChangeFieldsResolver,
        ...PROPOSAL_PROVIDERS,
        ...COMMENT_PROVIDERS,
        ...MANDATE_PROVIDERS,
        ...CONSULTATION_PROVIDERS,
        ...LADDER_PROVIDERS,
        ...AUDIT_PROVIDERS,
        ...TALENT_PROVIDERS,
        ...HISTORY_PROVIDERS,
        ...MATRIX_PROVIDERS,
        ...security.providers,
        DemoLoginResolver,
        ServerInfoResolver,
      ],
    };
  }
}
