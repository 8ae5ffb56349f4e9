import { ConfigError, describeConfigVariables, loadConfig, maskCredentials, redactConfig, type Config } from './config';

const CWD = '/srv/kyogi';
const load = (env: Record<string, string | undefined>): Config => loadConfig(env, { cwd: CWD });

/** The ConfigError thrown for `env`, or fail. */
function errorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const OIDC = {
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: 'https://id.kyogi.example.jp/realms/kyogi',
  OIDC_AUDIENCE: 'kyogi-api',
  OIDC_JWKS_URL: 'https://id.kyogi.example.jp/realms/kyogi/protocol/openid-connect/certs',
};
const PRODUCTION = { NODE_ENV: 'production', ...OIDC };

describe('loadConfig', () => {
  describe('defaults', () => {
    it('gives the embedded development setup from an empty environment', () => {
      expect(load({})).toEqual({
        nodeEnv: 'development',
        port: 3000,
        host: '0.0.0.0',
        dataDir: '/srv/kyogi/data',
        databaseUrl: null,
        eventStoreConnectionString: null,
        redisUrl: null,
        logLevel: 'log',
        auth: { mode: 'embedded', tokenTtlSeconds: 3600, keyFile: '/srv/kyogi/data/keys/embedded-issuer.private.jwk.json' },
        allowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
        seedDemo: true,
        runProjections: true,
        checkpoints: { keyFile: '/srv/kyogi/data/keys/checkpoint-signing.ed25519.pem', intervalSeconds: 3600, verifyIntervalSeconds: 21600 },
        limits: {
          graphql: { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxTokens: 5000, maxCost: 50000 },
          rateLimit: { windowSeconds: 60, userPoints: 1800, ipPoints: 6000 },
          trustProxyHops: 0,
          hstsMaxAgeSeconds: 0,
        },
        metrics: { token: null, allowFrom: ['127.0.0.1/32', '::1/128'] },
        readCache: { maxBytes: 64 * 2 ** 20 },
      });
    });

    it('takes the read cache size in MiB, 0 turning it off, and refuses a size out of range', () => {
      expect(load({ READ_CACHE_MAX_MB: '0' }).readCache).toEqual({ maxBytes: 0 });
      expect(load({ READ_CACHE_MAX_MB: '512' }).readCache).toEqual({ maxBytes: 512 * 2 ** 20 });
      expect(() => load({ READ_CACHE_MAX_MB: '4097' })).toThrow(/READ_CACHE_MAX_MB/);
      expect(() => load({ READ_CACHE_MAX_MB: 'lots' })).toThrow(/READ_CACHE_MAX_MB/);
    });

    it('takes the checkpoint key file relative to DATA_DIR, or absolute, and the interval in range', () => {
      expect(load({ CHECKPOINT_KEY_FILE: 'secrets/ckpt.pem' }).checkpoints.keyFile).toBe('/srv/kyogi/data/secrets/ckpt.pem');
      expect(
        load({ CHECKPOINT_KEY_FILE: '/run/secrets/ckpt.pem', CHECKPOINT_INTERVAL_SECONDS: '0', AUDIT_VERIFY_INTERVAL_SECONDS: '600' }).checkpoints,
      ).toEqual({
        keyFile: '/run/secrets/ckpt.pem',
        intervalSeconds: 0,
        verifyIntervalSeconds: 600,
      });
      expect(() => load({ CHECKPOINT_INTERVAL_SECONDS: '-1' })).toThrow(/CHECKPOINT_INTERVAL_SECONDS/);
      expect(() => load({ AUDIT_VERIFY_INTERVAL_SECONDS: '604801' })).toThrow(/AUDIT_VERIFY_INTERVAL_SECONDS/);
    });

    it('treats empty and blank values as unset', () => {
      expect(load({ PORT: '', REDIS_URL: '   ', LOG_LEVEL: '' })).toMatchObject({ port: 3000, redisUrl: null, logLevel: 'log' });
    });

    it('trims surrounding whitespace', () => {
      expect(load({ PORT: ' 8080 ' }).port).toBe(8080);
    });

    it('returns a deeply frozen object', () => {
      const config = load({});
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.auth)).toBe(true);
      expect(Object.isFrozen(config.allowedOrigins)).toBe(true);
    });

    it('uses process.cwd() for a relative DATA_DIR when no cwd is given', () => {
      expect(loadConfig({}).dataDir).toBe(require('node:path').resolve(process.cwd(), 'data'));
    });
  });

  describe('the error message', () => {
    it('names the variable, the value and what is allowed, on one line', () => {
      const error = errorFor({ PORT: 'abc' });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe('PORT="abc" is not allowed: an integer 1–65535');
      expect(error.problems).toEqual([{ variable: 'PORT', value: 'abc', allowed: 'an integer 1–65535' }]);
    });

    it('reports every problem at once, still on one line', () => {
      const error = errorFor({ PORT: '0', LOG_LEVEL: 'trace', RUN_PROJECTIONS: 'yes' });
      expect(error.problems.map((p) => p.variable)).toEqual(['PORT', 'LOG_LEVEL', 'RUN_PROJECTIONS']);
      expect(error.message).toBe(
        'PORT="0" is not allowed: an integer 1–65535; ' +
          'LOG_LEVEL="trace" is not allowed: one of error, warn, log, debug, verbose; ' +
          'RUN_PROJECTIONS="yes" is not allowed: true or false',
      );
      expect(error.message).not.toContain('\n');
    });

    it('masks passwords in URLs', () => {
      const error = errorFor({ DATABASE_URL: 'mysql://kyogi:s3cret@db/kyogi' });
      expect(error.message).toBe('DATABASE_URL="mysql://kyogi:***@db/kyogi" is not allowed: a URL starting with postgres:// or postgresql://');
      expect(error.message).not.toContain('s3cret');
    });

    it('says when the rejected value is the default', () => {
      expect(errorFor({ NODE_ENV: 'production' }).message).toBe(
        'AUTH_MODE="embedded" (the default) is not allowed: oidc when NODE_ENV=production (the embedded issuer refuses to run in production)',
      );
    });
  });

  describe('NODE_ENV', () => {
    it.each(['development', 'test', 'production'])('accepts %s', (value) => {
      expect(load({ ...OIDC, NODE_ENV: value }).nodeEnv).toBe(value);
    });
    it.each(['prod', 'Production', 'staging'])('refuses %s', (value) => {
      expect(errorFor({ NODE_ENV: value }).message).toBe(`NODE_ENV="${value}" is not allowed: one of development, test, production`);
    });
  });

  describe('PORT', () => {
    it.each([
      ['1', 1],
      ['8080', 8080],
      ['65535', 65535],
    ])('accepts %s', (raw, port) => expect(load({ PORT: raw }).port).toBe(port));
    it.each(['0', '65536', '-1', '80.5', '1e3', '0x50', 'abc', '99999999999'])('refuses %s', (raw) => {
      expect(errorFor({ PORT: raw }).message).toBe(`PORT="${raw}" is not allowed: an integer 1–65535`);
    });
  });

  describe('HOST', () => {
    it('accepts an address', () => expect(load({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1'));
    it('refuses a value with spaces', () => {
      expect(errorFor({ HOST: 'local host' }).problems[0]).toMatchObject({ variable: 'HOST' });
    });
  });

  describe('DATA_DIR', () => {
    it('resolves a relative path against the working directory', () => {
      expect(load({ DATA_DIR: 'var/../state' }).dataDir).toBe('/srv/kyogi/state');
    });
    it('keeps an absolute path and puts the issuer key under it', () => {
      const config = load({ DATA_DIR: '/var/lib/kyogi' });
      expect(config.dataDir).toBe('/var/lib/kyogi');
      expect(config.auth).toMatchObject({ keyFile: '/var/lib/kyogi/keys/embedded-issuer.private.jwk.json' });
    });
  });

  describe('DATABASE_URL', () => {
    it.each(['postgres://kyogi:pw@db:5432/kyogi', 'postgresql://db/kyogi?sslmode=require'])('accepts %s', (url) => {
      expect(load({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });
    it.each(['mysql://db/kyogi', 'db:5432', 'http://db'])('refuses %s', (url) => {
      expect(errorFor({ DATABASE_URL: url }).message).toBe(`DATABASE_URL="${url}" is not allowed: a URL starting with postgres:// or postgresql://`);
    });
  });

  describe('EVENTSTORE_CONNECTION_STRING', () => {
    const DATABASE_URL = 'postgres://db/kyogi';
    it.each([
      'esdb://localhost:2113?tls=false',
      'esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true',
      'esdb+discover://cluster.kyogi.internal:2113',
      'kurrentdb://localhost:2113?tls=false',
      'kurrentdb+discover://cluster:2113',
    ])('accepts %s with DATABASE_URL', (value) => {
      expect(load({ EVENTSTORE_CONNECTION_STRING: value, DATABASE_URL }).eventStoreConnectionString).toBe(value);
    });
    it.each(['tcp://localhost:1113', 'esdb:localhost', 'esdb://', 'localhost:2113'])('refuses %s', (value) => {
      expect(errorFor({ EVENTSTORE_CONNECTION_STRING: value, DATABASE_URL }).message).toBe(
        `EVENTSTORE_CONNECTION_STRING="${value}" is not allowed: a connection string starting with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://`,
      );
    });
    it('accepts a TLS cluster string with node preference, CA file and timings in production', () => {
      const value =
        'esdb+discover://kyogi:pw@esdb.kyogi.svc:2113?tls=true&tlsCAFile=/etc/kyogi/ca.crt&nodePreference=leader&keepAliveInterval=10000&defaultDeadline=10000';
      expect(load({ ...PRODUCTION, EVENTSTORE_CONNECTION_STRING: value, DATABASE_URL }).eventStoreConnectionString).toBe(value);
    });
    it.each([
      ['esdb://a:2113?nodePreference=primary', 'nodePreference=primary is not valid: nodePreference takes leader, follower, random, readonlyreplica'],
      ['esdb://a:2113?tls=yes', 'tls=yes is not valid: tls takes true or false'],
      ['esdb://a:2113?keepAliveInterval=soon', 'keepAliveInterval=soon is not valid: keepAliveInterval takes an integer'],
      [
        'esdb://a:2113?tlsCaFile=/ca.crt&tsl=true',
        'known options only (tls, tlsVerifyCert, tlsCAFile, userCertFile, userKeyFile, connectionName, nodePreference, dnsDiscover, throwOnAppendFailure, maxDiscoverAttempts, discoveryInterval, gossipTimeout, keepAliveInterval, keepAliveTimeout, defaultDeadline); "tsl" is not one',
      ],
    ])('names the bad option in %s', (value, allowed) => {
      expect(errorFor({ EVENTSTORE_CONNECTION_STRING: value, DATABASE_URL }).message).toBe(
        `EVENTSTORE_CONNECTION_STRING="${value}" is not allowed: ${allowed}`,
      );
    });
    it.each(['esdb://a:2113,b:2113?tls=false', 'esdb+discover://cluster:2113?tlsVerifyCert=false'])('refuses %s in production (no insecure mode)', (value) => {
      expect(errorFor({ ...PRODUCTION, EVENTSTORE_CONNECTION_STRING: value, DATABASE_URL }).message).toBe(
        `EVENTSTORE_CONNECTION_STRING="${value}" is not allowed: TLS with verified certificates in production (no tls=false, no tlsVerifyCert=false)`,
      );
    });
    it('requires DATABASE_URL and names both', () => {
      const message = errorFor({ EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@node1:2113' }).message;
      expect(message).toBe(
        'EVENTSTORE_CONNECTION_STRING="esdb://admin:***@node1:2113" is not allowed: only together with DATABASE_URL (read models then live in that PostgreSQL), and DATABASE_URL is not set',
      );
    });
  });

  describe('REDIS_URL', () => {
    it.each(['redis://localhost:6379', 'rediss://:pw@cache:6380/0'])('accepts %s', (url) => {
      expect(load({ REDIS_URL: url }).redisUrl).toBe(url);
    });
    it('refuses another scheme', () => {
      expect(errorFor({ REDIS_URL: 'http://cache' }).message).toBe('REDIS_URL="http://cache" is not allowed: a URL starting with redis:// or rediss://');
    });
  });

  describe('LOG_LEVEL', () => {
    it.each(['error', 'warn', 'log', 'debug', 'verbose'])('accepts %s', (level) => {
      expect(load({ LOG_LEVEL: level }).logLevel).toBe(level);
    });
    it('refuses info', () => expect(errorFor({ LOG_LEVEL: 'info' }).problems[0]?.variable).toBe('LOG_LEVEL'));
  });

  describe('AUTH_MODE and production', () => {
    it('refuses an explicit embedded mode in production', () => {
      expect(errorFor({ NODE_ENV: 'production', AUTH_MODE: 'embedded' }).message).toBe(
        'AUTH_MODE="embedded" is not allowed: oidc when NODE_ENV=production (the embedded issuer refuses to run in production)',
      );
    });
    it('refuses an unknown mode', () => {
      expect(errorFor({ AUTH_MODE: 'saml' }).message).toBe('AUTH_MODE="saml" is not allowed: one of embedded, oidc');
    });
    it('runs production with OIDC, without demo data by default', () => {
      const config = load(PRODUCTION);
      expect(config.nodeEnv).toBe('production');
      expect(config.seedDemo).toBe(false);
      expect(config.auth).toEqual({
        mode: 'oidc',
        issuer: OIDC.OIDC_ISSUER,
        audience: 'kyogi-api',
        jwksUrl: OIDC.OIDC_JWKS_URL,
        algorithms: ['RS256', 'ES256'],
        organisationClaim: 'org',
        rolesClaim: 'roles',
        organisationKindClaim: 'org_kind',
        webClientId: null,
        webScopes: ['openid', 'profile'],
      });
    });
    it('allows embedded mode in development and test', () => {
      expect(load({ NODE_ENV: 'test' }).auth.mode).toBe('embedded');
    });
  });

  describe('OIDC', () => {
    it('requires issuer, audience and JWKS URL in oidc mode, naming each', () => {
      expect(errorFor({ AUTH_MODE: 'oidc' }).message).toBe(
        'OIDC_ISSUER is not set: required when AUTH_MODE=oidc; ' +
          'OIDC_AUDIENCE is not set: required when AUTH_MODE=oidc; ' +
          'OIDC_JWKS_URL is not set: required when AUTH_MODE=oidc',
      );
    });
    it('does not require them in embedded mode', () => {
      expect(load({ OIDC_AUDIENCE: 'x' }).auth.mode).toBe('embedded');
    });
    it.each(['OIDC_ISSUER', 'OIDC_JWKS_URL'])('%s must be https in production', (name) => {
      expect(errorFor({ ...PRODUCTION, [name]: 'http://localhost:8080/realms/kyogi' }).message).toBe(
        `${name}="http://localhost:8080/realms/kyogi" is not allowed: an https URL`,
      );
    });
    it.each(['OIDC_ISSUER', 'OIDC_JWKS_URL'])('%s may be http on a loopback host outside production', (name) => {
      expect(load({ ...OIDC, [name]: 'http://127.0.0.1:8080/x' }).auth).toMatchObject({ mode: 'oidc' });
    });
    it('refuses http on another host outside production', () => {
      expect(errorFor({ ...OIDC, OIDC_ISSUER: 'http://id.example.jp' }).message).toBe(
        'OIDC_ISSUER="http://id.example.jp" is not allowed: an https URL (http only for localhost outside production)',
      );
    });
    it('refuses a URL that does not parse, or has credentials', () => {
      expect(errorFor({ ...OIDC, OIDC_JWKS_URL: 'id.example.jp/certs' }).problems[0]?.variable).toBe('OIDC_JWKS_URL');
      expect(errorFor({ ...OIDC, OIDC_JWKS_URL: 'https://u:p@id.example.jp/certs' }).problems[0]?.variable).toBe('OIDC_JWKS_URL');
    });
    it('keeps the issuer exactly as written (it must equal the iss claim)', () => {
      expect(load({ ...OIDC, OIDC_ISSUER: 'https://id.example.jp' }).auth).toMatchObject({ issuer: 'https://id.example.jp' });
    });
    it("reads the web client's public client id and scopes", () => {
      expect(load({ ...OIDC, OIDC_WEB_CLIENT_ID: 'kyogi-web', OIDC_WEB_SCOPES: 'openid  profile email openid' }).auth).toMatchObject({
        webClientId: 'kyogi-web',
        webScopes: ['openid', 'profile', 'email'],
      });
    });
    it('refuses scopes without openid or with characters a scope cannot have, naming the variable', () => {
      expect(errorFor({ ...OIDC, OIDC_WEB_SCOPES: 'profile email' }).message).toBe(
        'OIDC_WEB_SCOPES="profile email" is not allowed: space-separated scopes including openid, e.g. "openid profile"',
      );
      expect(errorFor({ ...OIDC, OIDC_WEB_SCOPES: 'openid "x"' }).problems[0]?.variable).toBe('OIDC_WEB_SCOPES');
      expect(errorFor({ ...OIDC, OIDC_WEB_CLIENT_ID: 'kyogi web' }).message).toBe('OIDC_WEB_CLIENT_ID="kyogi web" is not allowed: a client id (no spaces)');
    });
    it('refuses a web client id in embedded mode (demo users sign in there)', () => {
      expect(errorFor({ OIDC_WEB_CLIENT_ID: 'kyogi-web' }).message).toBe('OIDC_WEB_CLIENT_ID="kyogi-web" is not allowed: only with AUTH_MODE=oidc');
    });
    it('reads algorithms and claim names', () => {
      const auth = load({
        ...OIDC,
        OIDC_ALGORITHMS: 'PS256, ES384,PS256',
        OIDC_ORGANISATION_CLAIM: 'https://kyogi.example.jp/org',
        OIDC_ROLES_CLAIM: 'realm_access.roles',
        OIDC_ORGANISATION_KIND_CLAIM: 'orgKind',
      }).auth;
      expect(auth).toMatchObject({
        algorithms: ['PS256', 'ES384'],
        organisationClaim: 'https://kyogi.example.jp/org',
        rolesClaim: 'realm_access.roles',
        organisationKindClaim: 'orgKind',
      });
    });
    it.each(['HS256', 'none', 'RS256,HS512', 'rs256', 'RS256,'])('refuses algorithms %s', (value) => {
      expect(errorFor({ ...OIDC, OIDC_ALGORITHMS: value }).message).toMatch(
        /^OIDC_ALGORITHMS=".*" is not allowed: comma-separated asymmetric algorithms from RS256, /,
      );
    });
    it('refuses a claim name with spaces', () => {
      expect(errorFor({ ...OIDC, OIDC_ROLES_CLAIM: 'my roles' }).message).toBe('OIDC_ROLES_CLAIM="my roles" is not allowed: a claim name (no spaces)');
    });
  });

  describe('ALLOWED_ORIGINS', () => {
    it('reads a trimmed, de-duplicated list', () => {
      expect(load({ ALLOWED_ORIGINS: 'https://kyogi.example.jp, http://localhost:5173,https://kyogi.example.jp' }).allowedOrigins).toEqual([
        'https://kyogi.example.jp',
        'http://localhost:5173',
      ]);
    });
    it.each([
      'https://kyogi.example.jp/',
      'https://kyogi.example.jp/app',
      'https://kyogi.example.jp?x=1',
      'kyogi.example.jp',
      'ftp://kyogi.example.jp',
      '*',
      'http://localhost:80',
      'https://KYOGI.example.jp',
      'https://a.example.jp,,https://b.example.jp',
    ])('refuses %s', (value) => {
      expect(errorFor({ ALLOWED_ORIGINS: value }).message).toBe(
        `ALLOWED_ORIGINS="${value}" is not allowed: comma-separated origins like https://kyogi.example.jp (scheme, host and optional port; no path)`,
      );
    });
  });

  describe('booleans', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['TRUE', true],
      ['False', false],
    ])('SEED_DEMO=%s', (raw, value) => expect(load({ SEED_DEMO: raw }).seedDemo).toBe(value));
    it('SEED_DEMO defaults to true in test', () => expect(load({ NODE_ENV: 'test' }).seedDemo).toBe(true));
    it('SEED_DEMO may be switched on in production', () => expect(load({ ...PRODUCTION, SEED_DEMO: 'true' }).seedDemo).toBe(true));
    it('RUN_PROJECTIONS=false', () => expect(load({ RUN_PROJECTIONS: 'false' }).runProjections).toBe(false));
    it.each(['1', 'yes', 'on'])('refuses %s', (raw) => {
      expect(errorFor({ SEED_DEMO: raw }).message).toBe(`SEED_DEMO="${raw}" is not allowed: true or false`);
    });
  });

  describe('TOKEN_TTL_SECONDS', () => {
    it.each([
      ['60', 60],
      ['86400', 86400],
    ])('accepts %s', (raw, ttl) => expect(load({ TOKEN_TTL_SECONDS: raw }).auth).toMatchObject({ tokenTtlSeconds: ttl }));
    it.each(['59', '86401', '1h'])('refuses %s', (raw) => {
      expect(errorFor({ TOKEN_TTL_SECONDS: raw }).message).toBe(`TOKEN_TTL_SECONDS="${raw}" is not allowed: an integer 60–86400`);
    });
  });

  describe('the API limits', () => {
    it('reads the GraphQL document limits, the rate limits, the proxy hops and HSTS', () => {
      const limits = load({
        GRAPHQL_MAX_DEPTH: '8',
        GRAPHQL_MAX_ALIASES: '0',
        GRAPHQL_MAX_DIRECTIVES: '5',
        GRAPHQL_MAX_TOKENS: '100',
        GRAPHQL_MAX_COST: '2500',
        RATE_LIMIT_WINDOW_SECONDS: '1',
        RATE_LIMIT_USER_POINTS: '0',
        RATE_LIMIT_IP_POINTS: '10',
        TRUST_PROXY_HOPS: '1',
        HSTS_MAX_AGE_SECONDS: '31536000',
      }).limits;
      expect(limits).toEqual({
        graphql: { maxDepth: 8, maxAliases: 0, maxDirectives: 5, maxTokens: 100, maxCost: 2500 },
        rateLimit: { windowSeconds: 1, userPoints: 0, ipPoints: 10 },
        trustProxyHops: 1,
        hstsMaxAgeSeconds: 31536000,
      });
    });
    it.each([
      ['GRAPHQL_MAX_DEPTH', '0', 'an integer 1–100'],
      ['GRAPHQL_MAX_TOKENS', '99', 'an integer 100–1000000'],
      ['GRAPHQL_MAX_COST', '1e6', 'an integer 100–100000000'],
      ['RATE_LIMIT_WINDOW_SECONDS', '0', 'an integer 1–3600'],
      ['RATE_LIMIT_USER_POINTS', '-1', 'an integer 0–10000000'],
      ['TRUST_PROXY_HOPS', '11', 'an integer 0–10'],
      ['HSTS_MAX_AGE_SECONDS', 'one year', 'an integer 0–63072000'],
    ])('refuses %s=%s', (name, raw, allowed) => {
      expect(errorFor({ [name]: raw }).message).toBe(`${name}="${raw}" is not allowed: ${allowed}`);
    });
  });

  describe('KYOGI_* typo protection', () => {
    it('refuses an unknown KYOGI_ variable and suggests the real name', () => {
      expect(errorFor({ KYOGI_PORT: '8080' }).message).toBe(
        'KYOGI_PORT="8080" is not allowed: no such variable (Kyogi reads none with the KYOGI_ prefix; did you mean PORT?)',
      );
    });
    it('refuses one that matches nothing, masking credentials', () => {
      expect(errorFor({ KYOGI_DB: 'postgres://u:pw@h/db' }).message).toBe(
        'KYOGI_DB="postgres://u:***@h/db" is not allowed: no such variable (Kyogi reads none with the KYOGI_ prefix)',
      );
    });
    it('ignores unrelated variables', () => {
      expect(() => load({ PATH: '/usr/bin', HOME: '/root', npm_config_cache: 'x' })).not.toThrow();
    });
  });
});

describe('METRICS_TOKEN and METRICS_ALLOW_FROM', () => {
  const TOKEN = 'a7f3c9e1b5d8f2a4c6e0b9d7f1a3c5e8';
  it('lets only loopback scrape outside production, and nobody in production unless configured', () => {
    expect(load({}).metrics).toEqual({ token: null, allowFrom: ['127.0.0.1/32', '::1/128'] });
    expect(load(PRODUCTION).metrics).toEqual({ token: null, allowFrom: [] });
  });
  it('takes a token and networks', () => {
    expect(load({ ...PRODUCTION, METRICS_TOKEN: TOKEN, METRICS_ALLOW_FROM: '10.0.0.0/8, fd00::/8,10.0.0.0/8' }).metrics).toEqual({
      token: TOKEN,
      allowFrom: ['10.0.0.0/8', 'fd00::/8'],
    });
  });
  it('refuses a short token', () => {
    expect(errorFor({ METRICS_TOKEN: 'short' }).message).toBe(
      'METRICS_TOKEN="short" is not allowed: at least 32 printable characters without spaces (a random token)',
    );
  });
  it.each(['10.0.0.0', '10.0.0.0/33', 'fd00::/129', 'prometheus/32', '10.0.0.0/8/1'])('refuses the network %s, naming it', (network) => {
    expect(errorFor({ METRICS_ALLOW_FROM: `127.0.0.1/32,${network}` }).message).toBe(
      `METRICS_ALLOW_FROM="127.0.0.1/32,${network}" is not allowed: comma-separated networks in CIDR notation like 10.0.0.0/8 or fd00::/8; "${network}" is not one`,
    );
  });
  it('refuses a network open to everyone in production, and allows it elsewhere', () => {
    expect(errorFor({ ...PRODUCTION, METRICS_ALLOW_FROM: '10.0.0.0/8,0.0.0.0/0' }).message).toBe(
      'METRICS_ALLOW_FROM="10.0.0.0/8,0.0.0.0/0" is not allowed: networks narrower than 0.0.0.0/0 in production (/metrics is never public; give the scraper METRICS_TOKEN)',
    );
    expect(load({ METRICS_ALLOW_FROM: '::/0' }).metrics.allowFrom).toEqual(['::/0']);
  });
  it('is masked by redactConfig', () => {
    expect(redactConfig(load({ METRICS_TOKEN: TOKEN })).metrics.token).toBe('***');
  });
});

describe('describeConfigVariables', () => {
  const rows = describeConfigVariables();

  it('lists every variable once, with its default', () => {
    expect(rows.map((r) => r.name)).toEqual([
      'NODE_ENV',
      'PORT',
      'HOST',
      'DATA_DIR',
      'DATABASE_URL',
      'EVENTSTORE_CONNECTION_STRING',
      'REDIS_URL',
      'LOG_LEVEL',
      'AUTH_MODE',
      'OIDC_ISSUER',
      'OIDC_AUDIENCE',
      'OIDC_JWKS_URL',
      'OIDC_ALGORITHMS',
      'OIDC_ORGANISATION_CLAIM',
      'OIDC_ROLES_CLAIM',
      'OIDC_ORGANISATION_KIND_CLAIM',
      'OIDC_WEB_CLIENT_ID',
      'OIDC_WEB_SCOPES',
      'ALLOWED_ORIGINS',
      'SEED_DEMO',
      'RUN_PROJECTIONS',
      'CHECKPOINT_KEY_FILE',
      'CHECKPOINT_INTERVAL_SECONDS',
      'AUDIT_VERIFY_INTERVAL_SECONDS',
      'TOKEN_TTL_SECONDS',
      'GRAPHQL_MAX_DEPTH',
      'GRAPHQL_MAX_ALIASES',
      'GRAPHQL_MAX_DIRECTIVES',
      'GRAPHQL_MAX_TOKENS',
      'GRAPHQL_MAX_COST',
      'RATE_LIMIT_WINDOW_SECONDS',
      'RATE_LIMIT_USER_POINTS',
      'RATE_LIMIT_IP_POINTS',
      'TRUST_PROXY_HOPS',
      'METRICS_TOKEN',
      'METRICS_ALLOW_FROM',
      'HSTS_MAX_AGE_SECONDS',
      'READ_CACHE_MAX_MB',
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.default]))).toMatchObject({
      PORT: '3000',
      DATABASE_URL: null,
      SEED_DEMO: 'true (false in production)',
      OIDC_ALGORITHMS: 'RS256,ES256',
    });
  });

  it('keeps descriptions short and on one line', () => {
    for (const row of rows) {
      expect(row.description.length).toBeGreaterThan(0);
      expect(row.description.length).toBeLessThanOrEqual(100);
      expect(row.description).not.toContain('\n');
    }
  });

  it('has defaults that load', () => {
    const env = Object.fromEntries(rows.filter((r) => r.default !== null && r.name !== 'SEED_DEMO').map((r) => [r.name, r.default as string]));
    expect(() => load(env)).not.toThrow();
  });
});

describe('credentials', () => {
  it('maskCredentials hides only the password', () => {
    expect(maskCredentials('postgres://kyogi:pw@db:5432/kyogi')).toBe('postgres://kyogi:***@db:5432/kyogi');
    expect(maskCredentials('rediss://:pw@cache')).toBe('rediss://:***@cache');
    expect(maskCredentials('postgres://db:5432/kyogi')).toBe('postgres://db:5432/kyogi');
  });

  it('redactConfig masks every URL for logging', () => {
    const config = load({
      DATABASE_URL: 'postgres://kyogi:pw1@db/kyogi',
      EVENTSTORE_CONNECTION_STRING: 'esdb://admin:pw2@node1:2113,node2:2113',
      REDIS_URL: 'redis://:pw3@cache',
    });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toMatch(/pw[123]/);
    expect(redactConfig(config).databaseUrl).toBe('postgres://kyogi:***@db/kyogi');
  });
});
