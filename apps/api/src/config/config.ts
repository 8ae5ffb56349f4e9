/**
 * The process configuration: every environment variable the api reads, validated once at start.
 *
 * One table (VARIABLES) is the single source for parsing, defaults and the README table
 * (`describeConfigVariables`). Cross-variable rules (production, topology, OIDC) follow it.
 * A bad value fails the start with a ConfigError whose message is one line per problem,
 * e.g. `PORT="abc" is not allowed: an integer 1–65535`. Credentials in URLs are masked.
 *
 * Plain TypeScript on purpose: no Nest, no process.env here; the caller passes the environment.
 */
import { isIP } from 'node:net';
import * as path from 'node:path';

export type NodeEnv = 'development' | 'test' | 'production';
export const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export type AuthMode = 'embedded' | 'oidc';
export const AUTH_MODES: readonly AuthMode[] = ['embedded', 'oidc'];

/** Asymmetric JWS algorithms only: a JWKS holds public keys, so HS* and `none` make no sense. */
export const OIDC_ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type OidcAlgorithm = (typeof OIDC_ALLOWED_ALGORITHMS)[number];

export interface EmbeddedAuthConfig {
  readonly mode: 'embedded';
  readonly tokenTtlSeconds: number;
  /** Where the embedded issuer keeps its private key, so tokens survive a restart. */
  readonly keyFile: string;
}

export interface OidcAuthConfig {
  readonly mode: 'oidc';
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  readonly algorithms: readonly OidcAlgorithm[];
  readonly organisationClaim: string;
  readonly rolesClaim: string;
  readonly organisationKindClaim: string;
  /**
   * The web client's sign-in (authorization code with PKCE): its public client id at the issuer,
   * null when browsers cannot sign in here (then only tokens obtained elsewhere are accepted).
   */
  readonly webClientId: string | null;
  /** The scopes the web client asks for; always with openid. */
  readonly webScopes: readonly string[];
}

export type AuthConfig = EmbeddedAuthConfig | OidcAuthConfig;

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly host: string;
  /** Absolute. */
  readonly dataDir: string;
  /** null → the app starts its own embedded PostgreSQL in dataDir. */
  readonly databaseUrl: string | null;
  /** null → events go to PostgreSQL; set → events go to EventStoreDB/KurrentDB. */
  readonly eventStoreConnectionString: string | null;
  readonly redisUrl: string | null;
  readonly logLevel: LogLevel;
  readonly auth: AuthConfig;
  readonly allowedOrigins: readonly string[];
  readonly seedDemo: boolean;
  readonly runProjections: boolean;
  readonly checkpoints: {
    /** PKCS#8 PEM of the Ed25519 key that signs audit checkpoints; created in DATA_DIR outside production. */
    readonly keyFile: string;
    /** Seconds between periodic checkpoints; 0: on demand only. */
    readonly intervalSeconds: number;
    /** Seconds between full verifications of the log (where the projections run); 0: on demand only. */
    readonly verifyIntervalSeconds: number;
  };
  /** The API's limits (apps/api/src/security, ADR 0015). */
  readonly limits: ApiLimitsConfig;
  /** Who may read /metrics (apps/api/src/metrics); neither set → nobody, the endpoint answers 404. */
  readonly metrics: MetricsAccessConfig;
  /** The read cache (graphql/read-cache.ts, ADR 0020); 0 bytes: off. */
  readonly readCache: { readonly maxBytes: number };
}

export interface MetricsAccessConfig {
  /** A scraper presenting `Authorization: Bearer <token>` may read; null → no token accepted. */
  readonly token: string | null;
  /** Client addresses in these networks may read without the token (CIDR, e.g. 10.0.0.0/8). */
  readonly allowFrom: readonly string[];
}

export interface ApiLimitsConfig {
  /** Bounds on one GraphQL document; a document beyond any of them is refused with a generic error. */
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
    readonly maxCost: number;
  };
  /** Requests (GraphQL over HTTP, graphql-ws operations, socket.io connections and joins) per window; 0: no limit. */
  readonly rateLimit: {
    readonly windowSeconds: number;
    readonly userPoints: number;
    readonly ipPoints: number;
  };
  /** Reverse proxies in front of the api whose X-Forwarded-For is trusted for the client's address (0: none). */
  readonly trustProxyHops: number;
  /** Strict-Transport-Security max-age; 0: no header (TLS terminates at the proxy, which may set it). */
  readonly hstsMaxAgeSeconds: number;
}

export interface ConfigProblem {
  readonly variable: string;
  /** The value as given (credentials masked); null when the variable was not set. */
  readonly value: string | null;
  /** What is allowed instead. */
  readonly allowed: string;
  /** True when the value shown is the default, not something the operator set. */
  readonly isDefault?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('; '));
  }
}

export function formatProblem(p: ConfigProblem): string {
  if (p.value === null) return `${p.variable} is not set: ${p.allowed}`;
  const shown = `${p.variable}=${JSON.stringify(p.value)}${p.isDefault ? ' (the default)' : ''}`;
  return `${shown} is not allowed: ${p.allowed}`;
}

export interface ConfigVariableDescription {
  readonly name: string;
  /** The default as it would be written in the environment; null when unset by default. */
  readonly default: string | null;
  readonly description: string;
}

// ---------------------------------------------------------------------------------------------
// Parsers. Each returns the parsed value or a Rejection naming what is allowed.

class Rejection {
  constructor(readonly allowed: string) {}
}
type Parser<T> = (raw: string) => T | Rejection;

const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : new Rejection(`one of ${values.join(', ')}`);

const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : new Rejection(`an integer ${min}–${max}`);
  };

const boolean: Parser<boolean> = (raw) => {
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return new Rejection('true or false');
};

const nonBlankToken =
  (what: string): Parser<string> =>
  (raw) =>
    /^\S+$/.test(raw) ? raw : new Rejection(`${what} (no spaces)`);

/** Space-separated OAuth scope tokens (RFC 6749 §3.3), openid among them. */
const scopes: Parser<readonly string[]> = (raw) => {
  const list = raw.split(' ').filter((s) => s !== '');
  if (list.length === 0 || list.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) || !list.includes('openid')) {
    return new Rejection('space-separated scopes including openid, e.g. "openid profile"');
  }
  return [...new Set(list)];
};

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

const urlWithSchemes =
  (schemes: readonly string[]): Parser<string> =>
  (raw) => {
    const url = parseUrl(raw);
    const allowed = `a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`;
    return url && schemes.includes(url.protocol) ? raw : new Rejection(allowed);
  };

/** The query options @eventstore/db-client 6.x understands, and what each accepts. */
const ESDB_OPTIONS: Record<string, 'boolean' | 'integer' | 'nodePreference' | 'text'> = {
  tls: 'boolean',
  tlsVerifyCert: 'boolean',
  tlsCAFile: 'text',
  userCertFile: 'text',
  userKeyFile: 'text',
  connectionName: 'text',
  nodePreference: 'nodePreference',
  dnsDiscover: 'boolean',
  throwOnAppendFailure: 'boolean',
  maxDiscoverAttempts: 'integer',
  discoveryInterval: 'integer',
  gossipTimeout: 'integer',
  keepAliveInterval: 'integer',
  keepAliveTimeout: 'integer',
  defaultDeadline: 'integer',
};
const NODE_PREFERENCES = ['leader', 'follower', 'random', 'readonlyreplica'];

/**
 * EventStoreDB connection strings list several hosts (`esdb://a:2113,b:2113`), which WHATWG URL
 * rejects; the query options are checked here so that a typo fails the start with its name, and
 * production refuses to talk to the event store without verified TLS.
 */
const eventStoreConnectionString =
  (nodeEnv: NodeEnv): Parser<string> =>
  (raw) => {
    const match = /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/([^\s/?#][^\s?#]*)\/?(?:\?([^\s#]*))?$/.exec(raw);
    if (!match) return new Rejection('a connection string starting with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://');
    const options = new Map<string, string>();
    for (const pair of (match[3] ?? '').split('&').filter((p) => p !== '')) {
      const [key = '', value = ''] = pair.split('=');
      const known = Object.keys(ESDB_OPTIONS).find((name) => name.toLowerCase() === key.toLowerCase());
      if (!known) return new Rejection(`known options only (${Object.keys(ESDB_OPTIONS).join(', ')}); "${key}" is not one`);
      const kind = ESDB_OPTIONS[known];
      const ok =
        kind === 'boolean'
          ? /^(true|false)$/i.test(value)
          : kind === 'integer'
            ? /^-?\d{1,9}$/.test(value)
            : kind === 'nodePreference'
              ? NODE_PREFERENCES.includes(value.toLowerCase())
              : value !== '';
      if (!ok) {
        const expected =
          kind === 'boolean' ? 'true or false' : kind === 'integer' ? 'an integer' : kind === 'nodePreference' ? NODE_PREFERENCES.join(', ') : 'a value';
        return new Rejection(`${known}=${value} is not valid: ${known} takes ${expected}`);
      }
      options.set(known, value.toLowerCase());
    }
    if (nodeEnv === 'production' && (options.get('tls') === 'false' || options.get('tlsVerifyCert') === 'false')) {
      return new Rejection('TLS with verified certificates in production (no tls=false, no tlsVerifyCert=false)');
    }
    return raw;
  };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https; plain http only for a loopback host outside production (a local identity provider in development). */
const httpsUrl =
  (nodeEnv: NodeEnv): Parser<string> =>
  (raw) => {
    const url = parseUrl(raw);
    const httpOk = nodeEnv !== 'production' && url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url && (url.protocol === 'https:' || httpOk) && url.username === '' && url.password === '') return raw;
    return new Rejection(nodeEnv === 'production' ? 'an https URL' : 'an https URL (http only for localhost outside production)');
  };

const origins: Parser<readonly string[]> = (raw) => {
  const allowed = 'comma-separated origins like https://kyogi.example.jp (scheme, host and optional port; no path)';
  const list = raw.split(',').map((s) => s.trim());
  for (const item of list) {
    const url = parseUrl(item);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item) {
      return new Rejection(allowed);
    }
  }
  return [...new Set(list)];
};

const algorithms: Parser<readonly OidcAlgorithm[]> = (raw) => {
  const list = raw.split(',').map((s) => s.trim());
  const known = OIDC_ALLOWED_ALGORITHMS as readonly string[];
  if (list.some((a) => !known.includes(a))) {
    return new Rejection(`comma-separated asymmetric algorithms from ${OIDC_ALLOWED_ALGORITHMS.join(', ')}`);
  }
  return [...new Set(list)] as OidcAlgorithm[];
};

// ---------------------------------------------------------------------------------------------
// The table.

interface Variable<T> {
  readonly name: string;
  /** Default as a raw string (parsed like a given value); null → optional with no default. */
  readonly default: (nodeEnv: NodeEnv) => string | null;
  /** How the default reads in the README, when it depends on NODE_ENV. */
  readonly defaultText?: string;
  readonly description: string;
  readonly parse: (nodeEnv: NodeEnv) => Parser<T>;
  /** Mask credentials in the value before it appears in an error. */
  readonly secret?: boolean;
}

const v = <T>(variable: Variable<T>): Variable<T> => variable;
const fixed = (value: string | null) => () => value;

const VARIABLES = {
  NODE_ENV: v({
    name: 'NODE_ENV',
    default: fixed('development'),
    parse: () => oneOf(NODE_ENVS),
    description: 'development, test or production',
  }),
  PORT: v({
    name: 'PORT',
    default: fixed('3000'),
    parse: () => integer(1, 65535),
    description: 'HTTP port (1–65535)',
  }),
  HOST: v({
    name: 'HOST',
    default: fixed('0.0.0.0'),
    parse: () => nonBlankToken('a host name or address'),
    description: 'Interface to listen on',
  }),
  DATA_DIR: v({
    name: 'DATA_DIR',
    default: fixed('./data'),
    parse: () => (raw: string) => raw,
    description: 'Directory for the embedded PostgreSQL and local keys',
  }),
  DATABASE_URL: v({
    name: 'DATABASE_URL',
    default: fixed(null),
    parse: () => urlWithSchemes(['postgres:', 'postgresql:']),
    secret: true,
    description: 'External PostgreSQL (postgres://…); when set, no embedded PostgreSQL is started',
  }),
  EVENTSTORE_CONNECTION_STRING: v({
    name: 'EVENTSTORE_CONNECTION_STRING',
    default: fixed(null),
    parse: eventStoreConnectionString,
    secret: true,
    description: 'EventStoreDB/KurrentDB (esdb://, kurrentdb://…) for events; requires DATABASE_URL for read models',
  }),
  REDIS_URL: v({
    name: 'REDIS_URL',
    default: fixed(null),
    parse: () => urlWithSchemes(['redis:', 'rediss:']),
    secret: true,
    description: 'Redis (redis:// or rediss://) for cross-instance fan-out and rate limits',
  }),
  LOG_LEVEL: v({
    name: 'LOG_LEVEL',
    default: fixed('log'),
    parse: () => oneOf(LOG_LEVELS),
    description: 'error, warn, log, debug or verbose',
  }),
  AUTH_MODE: v({
    name: 'AUTH_MODE',
    default: fixed('embedded'),
    parse: () => oneOf(AUTH_MODES),
    description: 'embedded (local dev issuer, refused in production) or oidc',
  }),
  OIDC_ISSUER: v({
    name: 'OIDC_ISSUER',
    default: fixed(null),
    parse: httpsUrl,
    description: 'OIDC issuer (https URL, must equal the token `iss`); required with AUTH_MODE=oidc',
  }),
  OIDC_AUDIENCE: v({
    name: 'OIDC_AUDIENCE',
    default: fixed(null),
    parse: () => nonBlankToken('an audience'),
    description: 'Expected token `aud`; required with AUTH_MODE=oidc',
  }),
  OIDC_JWKS_URL: v({
    name: 'OIDC_JWKS_URL',
    default: fixed(null),
    parse: httpsUrl,
    description: "Issuer's JWKS (https URL); required with AUTH_MODE=oidc",
  }),
  OIDC_ALGORITHMS: v({
    name: 'OIDC_ALGORITHMS',
    default: fixed('RS256,ES256'),
    parse: () => algorithms,
    description: 'Accepted signing algorithms (asymmetric only)',
  }),
  OIDC_ORGANISATION_CLAIM: v({
    name: 'OIDC_ORGANISATION_CLAIM',
    default: fixed('org'),
    parse: () => nonBlankToken('a claim name'),
    description: 'Claim holding the organisation id (a.b walks nested claims)',
  }),
  OIDC_ROLES_CLAIM: v({
    name: 'OIDC_ROLES_CLAIM',
    default: fixed('roles'),
    parse: () => nonBlankToken('a claim name'),
    description: 'Claim holding the roles (a.b walks nested claims, e.g. realm_access.roles)',
  }),
  OIDC_ORGANISATION_KIND_CLAIM: v({
    name: 'OIDC_ORGANISATION_KIND_CLAIM',
    default: fixed('org_kind'),
    parse: () => nonBlankToken('a claim name'),
    description: 'Claim holding the organisation kind; when sent, it must agree with the registry',
  }),
  OIDC_WEB_CLIENT_ID: v({
    name: 'OIDC_WEB_CLIENT_ID',
    default: fixed(null),
    parse: () => nonBlankToken('a client id'),
    description: "Web client's public client id (PKCE; redirect URI <origin>/auth/callback); unset: no browser sign-in",
  }),
  OIDC_WEB_SCOPES: v({
    name: 'OIDC_WEB_SCOPES',
    default: fixed('openid profile'),
    parse: () => scopes,
    description: 'Scopes the web client asks for (space-separated, with openid)',
  }),
  ALLOWED_ORIGINS: v({
    name: 'ALLOWED_ORIGINS',
    default: fixed('http://localhost:3000,http://127.0.0.1:3000'),
    parse: () => origins,
    description: 'Comma-separated browser origins allowed (CORS, websockets)',
  }),
  SEED_DEMO: v({
    name: 'SEED_DEMO',
    default: (env) => (env === 'production' ? 'false' : 'true'),
    defaultText: 'true (false in production)',
    parse: () => boolean,
    description: 'Seed organisations and demo users on first start',
  }),
  RUN_PROJECTIONS: v({
    name: 'RUN_PROJECTIONS',
    default: fixed('true'),
    parse: () => boolean,
    description: 'Run the projections in this process (false in the scaled-out api)',
  }),
  CHECKPOINT_KEY_FILE: v({
    name: 'CHECKPOINT_KEY_FILE',
    default: fixed(null),
    parse: () => (raw: string) => raw,
    description: 'Ed25519 PEM key signing audit checkpoints (default in DATA_DIR/keys; created outside production)',
  }),
  CHECKPOINT_INTERVAL_SECONDS: v({
    name: 'CHECKPOINT_INTERVAL_SECONDS',
    default: fixed('3600'),
    parse: () => integer(0, 604800),
    description: 'Seconds between signed audit checkpoints (0–604800; 0: on demand only)',
  }),
  AUDIT_VERIFY_INTERVAL_SECONDS: v({
    name: 'AUDIT_VERIFY_INTERVAL_SECONDS',
    default: fixed('21600'),
    parse: () => integer(0, 604800),
    description: 'Seconds between full verifications of the audit log (0–604800; 0: on demand only)',
  }),
  TOKEN_TTL_SECONDS: v({
    name: 'TOKEN_TTL_SECONDS',
    default: fixed('3600'),
    parse: () => integer(60, 86400),
    description: 'Lifetime of embedded-issuer tokens (60–86400)',
  }),
  GRAPHQL_MAX_DEPTH: v({
    name: 'GRAPHQL_MAX_DEPTH',
    default: fixed('12'),
    parse: () => integer(1, 100),
    description: 'Deepest field nesting a GraphQL document may have (1–100)',
  }),
  GRAPHQL_MAX_ALIASES: v({
    name: 'GRAPHQL_MAX_ALIASES',
    default: fixed('30'),
    parse: () => integer(0, 1000),
    description: 'Aliases per GraphQL document (0–1000)',
  }),
  GRAPHQL_MAX_DIRECTIVES: v({
    name: 'GRAPHQL_MAX_DIRECTIVES',
    default: fixed('20'),
    parse: () => integer(0, 1000),
    description: 'Directives per GraphQL document (0–1000)',
  }),
  GRAPHQL_MAX_TOKENS: v({
    name: 'GRAPHQL_MAX_TOKENS',
    default: fixed('5000'),
    parse: () => integer(100, 1000000),
    description: 'Lexical tokens per GraphQL document (100–1000000)',
  }),
  GRAPHQL_MAX_COST: v({
    name: 'GRAPHQL_MAX_COST',
    default: fixed('50000'),
    parse: () => integer(100, 100000000),
    description: 'Estimated cost per GraphQL document (fields, nesting, `first`; 100–100000000)',
  }),
  RATE_LIMIT_WINDOW_SECONDS: v({
    name: 'RATE_LIMIT_WINDOW_SECONDS',
    default: fixed('60'),
    parse: () => integer(1, 3600),
    description: 'Window of the rate limits in seconds (1–3600)',
  }),
  RATE_LIMIT_USER_POINTS: v({
    name: 'RATE_LIMIT_USER_POINTS',
    default: fixed('1800'),
    parse: () => integer(0, 10000000),
    description: 'Requests per window per signed-in person (0–10000000; 0: no limit)',
  }),
  RATE_LIMIT_IP_POINTS: v({
    name: 'RATE_LIMIT_IP_POINTS',
    default: fixed('6000'),
    parse: () => integer(0, 10000000),
    description: 'Requests per window per client address (0–10000000; 0: no limit)',
  }),
  TRUST_PROXY_HOPS: v({
    name: 'TRUST_PROXY_HOPS',
    default: fixed('0'),
    parse: () => integer(0, 10),
    description: 'Reverse proxies whose X-Forwarded-For gives the client address (0–10)',
  }),
  METRICS_TOKEN: v({
    name: 'METRICS_TOKEN',
    default: fixed(null),
    parse: () => metricsToken,
    secret: true,
    description: 'Bearer token a scraper presents to read /metrics (32+ characters)',
  }),
  METRICS_ALLOW_FROM: v({
    name: 'METRICS_ALLOW_FROM',
    default: (env) => (env === 'production' ? null : '127.0.0.1/32,::1/128'),
    parse: () => cidrs,
    description: 'CIDR networks that may read /metrics without the token (none by default in production)',
  }),
  HSTS_MAX_AGE_SECONDS: v({
    name: 'HSTS_MAX_AGE_SECONDS',
    default: fixed('0'),
    parse: () => integer(0, 63072000),
    description: 'Strict-Transport-Security max-age (0–63072000; 0: no header, for https only)',
  }),
  READ_CACHE_MAX_MB: v({
    name: 'READ_CACHE_MAX_MB',
    default: fixed('64'),
    parse: () => integer(0, 4096),
    description: 'MiB of query answers kept until the read models change (0–4096; 0: no read cache)',
  }),
};

/** Comma-separated IPv4/IPv6 networks in CIDR notation. */
const cidrs: Parser<readonly string[]> = (raw) => {
  const list = raw.split(',').map((s) => s.trim());
  for (const item of list) {
    const [address = '', prefix = '', extra] = item.split('/');
    const family = isIP(address);
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (extra !== undefined || family === 0 || !(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      return new Rejection(`comma-separated networks in CIDR notation like 10.0.0.0/8 or fd00::/8; "${item}" is not one`);
    }
  }
  return [...new Set(list)];
};

const metricsToken: Parser<string> = (raw) =>
  /^[\x21-\x7e]{32,}$/.test(raw) ? raw : new Rejection('at least 32 printable characters without spaces (a random token)');

type Vars = typeof VARIABLES;
type Parsed<K extends keyof Vars> = Vars[K] extends Variable<infer T> ? T : never;

/** No variable of ours starts with KYOGI_ yet; any such variable is a typo or a leftover. */
const KNOWN_KYOGI_VARIABLES: ReadonlySet<string> = new Set<string>();

/** Mask the password in `scheme://user:password@host` (works on strings that do not parse, too). */
export function maskCredentials(value: string): string {
  return value.replace(/(\/\/[^/@:\s]*:)[^@\s]*@/g, '$1***@');
}

export function describeConfigVariables(): ConfigVariableDescription[] {
  return Object.values(VARIABLES).map((variable: Variable<unknown>) => ({
    name: variable.name,
    default: variable.defaultText ?? variable.default('development'),
    description: variable.description,
  }));
}

export interface LoadConfigOptions {
  /** Base for a relative DATA_DIR; process.cwd() when omitted. */
  readonly cwd?: string;
}

/**
 * Validate the environment and return the frozen configuration. Empty values count as unset
 * (so `REDIS_URL=` in a compose file means "no Redis"). Throws ConfigError naming every problem.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const problems: ConfigProblem[] = [];
  const given = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  function read<K extends keyof Vars>(key: K, nodeEnv: NodeEnv): Parsed<K> | null {
    const variable = VARIABLES[key] as Variable<Parsed<K>>;
    const raw = given(variable.name);
    const input = raw ?? variable.default(nodeEnv);
    if (input === null) return null;
    const result = variable.parse(nodeEnv)(input);
    if (result instanceof Rejection) {
      problems.push({
        variable: variable.name,
        value: variable.secret ? maskCredentials(input) : input,
        allowed: result.allowed,
        ...(raw === undefined ? { isDefault: true } : {}),
      });
      return null;
    }
    return result;
  }

  for (const name of Object.keys(env).sort()) {
    if (name.startsWith('KYOGI_') && !KNOWN_KYOGI_VARIABLES.has(name)) {
      const suffix = name.slice('KYOGI_'.length);
      const hint = suffix in VARIABLES ? `; did you mean ${suffix}?` : '';
      problems.push({ variable: name, value: maskCredentials(env[name] ?? ''), allowed: `no such variable (Kyogi reads none with the KYOGI_ prefix${hint})` });
    }
  }

  const nodeEnv = read('NODE_ENV', 'development') ?? 'development';
  const port = read('PORT', nodeEnv);
  const host = read('HOST', nodeEnv);
  const dataDir = read('DATA_DIR', nodeEnv);
  const databaseUrl = read('DATABASE_URL', nodeEnv);
  const eventStoreConnectionString = read('EVENTSTORE_CONNECTION_STRING', nodeEnv);
  const redisUrl = read('REDIS_URL', nodeEnv);
  const logLevel = read('LOG_LEVEL', nodeEnv);
  const authMode = read('AUTH_MODE', nodeEnv);
  const oidcIssuer = read('OIDC_ISSUER', nodeEnv);
  const oidcAudience = read('OIDC_AUDIENCE', nodeEnv);
  const oidcJwksUrl = read('OIDC_JWKS_URL', nodeEnv);
  const oidcAlgorithms = read('OIDC_ALGORITHMS', nodeEnv);
  const organisationClaim = read('OIDC_ORGANISATION_CLAIM', nodeEnv);
  const rolesClaim = read('OIDC_ROLES_CLAIM', nodeEnv);
  const organisationKindClaim = read('OIDC_ORGANISATION_KIND_CLAIM', nodeEnv);
  const webClientId = read('OIDC_WEB_CLIENT_ID', nodeEnv);
  const webScopes = read('OIDC_WEB_SCOPES', nodeEnv);
  const allowedOrigins = read('ALLOWED_ORIGINS', nodeEnv);
  const seedDemo = read('SEED_DEMO', nodeEnv);
  const runProjections = read('RUN_PROJECTIONS', nodeEnv);
  const tokenTtlSeconds = read('TOKEN_TTL_SECONDS', nodeEnv);
  const maxDepth = read('GRAPHQL_MAX_DEPTH', nodeEnv);
  const maxAliases = read('GRAPHQL_MAX_ALIASES', nodeEnv);
  const maxDirectives = read('GRAPHQL_MAX_DIRECTIVES', nodeEnv);
  const maxTokens = read('GRAPHQL_MAX_TOKENS', nodeEnv);
  const maxCost = read('GRAPHQL_MAX_COST', nodeEnv);
  const rateLimitWindowSeconds = read('RATE_LIMIT_WINDOW_SECONDS', nodeEnv);
  const rateLimitUserPoints = read('RATE_LIMIT_USER_POINTS', nodeEnv);
  const rateLimitIpPoints = read('RATE_LIMIT_IP_POINTS', nodeEnv);
  const trustProxyHops = read('TRUST_PROXY_HOPS', nodeEnv);
  const hstsMaxAgeSeconds = read('HSTS_MAX_AGE_SECONDS', nodeEnv);
  const readCacheMaxMb = read('READ_CACHE_MAX_MB', nodeEnv);
  const metricsTokenValue = read('METRICS_TOKEN', nodeEnv);
  const metricsAllowFrom = read('METRICS_ALLOW_FROM', nodeEnv);
  const checkpointKeyFile = read('CHECKPOINT_KEY_FILE', nodeEnv);
  const checkpointIntervalSeconds = read('CHECKPOINT_INTERVAL_SECONDS', nodeEnv);
  const auditVerifyIntervalSeconds = read('AUDIT_VERIFY_INTERVAL_SECONDS', nodeEnv);

  // Cross-variable rules.
  if (eventStoreConnectionString !== null && given('DATABASE_URL') === undefined) {
    problems.push({
      variable: 'EVENTSTORE_CONNECTION_STRING',
      value: maskCredentials(eventStoreConnectionString),
      allowed: 'only together with DATABASE_URL (read models then live in that PostgreSQL), and DATABASE_URL is not set',
    });
  }
  if (nodeEnv === 'production' && authMode === 'embedded') {
    problems.push({
      variable: 'AUTH_MODE',
      value: 'embedded',
      allowed: 'oidc when NODE_ENV=production (the embedded issuer refuses to run in production)',
      ...(given('AUTH_MODE') === undefined ? { isDefault: true } : {}),
    });
  }
  if (authMode === 'oidc') {
    for (const name of ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const) {
      if (given(name) === undefined) {
        problems.push({ variable: name, value: null, allowed: 'required when AUTH_MODE=oidc' });
      }
    }
  } else if (webClientId !== null) {
    // The embedded mode signs people in with demo users; a client id here is a misconfiguration.
    problems.push({ variable: 'OIDC_WEB_CLIENT_ID', value: webClientId, allowed: 'only with AUTH_MODE=oidc' });
  }

  const everyone = (metricsAllowFrom ?? []).find((network) => network.endsWith('/0'));
  if (nodeEnv === 'production' && everyone) {
    problems.push({
      variable: 'METRICS_ALLOW_FROM',
      value: metricsAllowFrom!.join(','),
      allowed: `networks narrower than ${everyone} in production (/metrics is never public; give the scraper METRICS_TOKEN)`,
    });
  }

  if (problems.length > 0) throw new ConfigError(problems);

  // Every value below is non-null: a null here would have produced a problem above.
  const resolvedDataDir = path.resolve(options.cwd ?? process.cwd(), dataDir!);
  const auth: AuthConfig =
    authMode === 'oidc'
      ? {
          mode: 'oidc',
          issuer: oidcIssuer!,
          audience: oidcAudience!,
          jwksUrl: oidcJwksUrl!,
          algorithms: Object.freeze([...oidcAlgorithms!]),
          organisationClaim: organisationClaim!,
          rolesClaim: rolesClaim!,
          organisationKindClaim: organisationKindClaim!,
          webClientId,
          webScopes: Object.freeze([...webScopes!]),
        }
      : {
          mode: 'embedded',
          tokenTtlSeconds: tokenTtlSeconds!,
          keyFile: path.join(resolvedDataDir, 'keys', 'embedded-issuer.private.jwk.json'),
        };

  return Object.freeze({
    nodeEnv,
    port: port!,
    host: host!,
    dataDir: resolvedDataDir,
    databaseUrl,
    eventStoreConnectionString,
    redisUrl,
    logLevel: logLevel!,
    auth: Object.freeze(auth),
    allowedOrigins: Object.freeze([...allowedOrigins!]),
    seedDemo: seedDemo!,
    runProjections: runProjections!,
    checkpoints: Object.freeze({
      keyFile: path.resolve(resolvedDataDir, checkpointKeyFile ?? path.join('keys', 'checkpoint-signing.ed25519.pem')),
      intervalSeconds: checkpointIntervalSeconds!,
      verifyIntervalSeconds: auditVerifyIntervalSeconds!,
    }),
    limits: Object.freeze({
      graphql: Object.freeze({ maxDepth: maxDepth!, maxAliases: maxAliases!, maxDirectives: maxDirectives!, maxTokens: maxTokens!, maxCost: maxCost! }),
      rateLimit: Object.freeze({ windowSeconds: rateLimitWindowSeconds!, userPoints: rateLimitUserPoints!, ipPoints: rateLimitIpPoints! }),
      trustProxyHops: trustProxyHops!,
      hstsMaxAgeSeconds: hstsMaxAgeSeconds!,
    }),
    metrics: Object.freeze({ token: metricsTokenValue, allowFrom: Object.freeze([...(metricsAllowFrom ?? [])]) }),
    readCache: Object.freeze({ maxBytes: readCacheMaxMb! * 2 ** 20 }),
  });
}

/** The configuration as it may be logged at start: credentials in URLs masked. */
export function redactConfig(config: Config): Config {
  const mask = (value: string | null) => (value === null ? null : maskCredentials(value));
  return Object.freeze({
    ...config,
    databaseUrl: mask(config.databaseUrl),
    eventStoreConnectionString: mask(config.eventStoreConnectionString),
    redisUrl: mask(config.redisUrl),
    metrics: Object.freeze({ ...config.metrics, token: config.metrics.token === null ? null : '***' }),
  });
}
