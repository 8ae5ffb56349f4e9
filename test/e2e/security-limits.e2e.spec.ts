/**
 * The API's limits against the built app (issue #9, tests 8, 9 and 13, and the rate limits):
 * documents too deep, too aliased, too long, too costly or batched, and introspection probes,
 * against an app in production mode — refused with a generic error, the server answering after;
 * cross-site requests and WebSockets from a foreign origin refused; oversized, malformed and
 * oddly encoded bodies and frames answered with a 4xx or a close code, never a crash; rate limits
 * answered with 429 and Retry-After (or RATE_LIMITED over the sockets), shared across two
 * instances through Redis.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, freePort, gql, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const LIMIT_MESSAGE = 'Query refused: it exceeds the limits on depth, aliases, directives, tokens or cost';
const ALLOWED_ORIGIN = 'http://localhost:3000';
const FOREIGN_ORIGIN = 'https://evil.example';
const AUDITOR = 'auditor@observer.example.jp';

let prod: AppProcess;
let dev: AppProcess;
let limited: AppProcess;
const sockets: Socket[] = [];
const webSockets: WebSocket[] = [];

/** A production app: OIDC (nothing here signs its tokens, so every request is anonymous) and a provisioned checkpoint key. */
async function startProduction(): Promise<AppProcess> {
  const keyDir = makeDataDir('security-keys');
  const keyFile = path.join(keyDir, 'checkpoint.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return startApp({
    seedDemo: false,
    env: {
      NODE_ENV: 'production',
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.kyogi.example.jp/realms/kyogi',
      OIDC_AUDIENCE: 'kyogi-api',
      OIDC_JWKS_URL: 'https://id.kyogi.example.jp/realms/kyogi/protocol/openid-connect/certs',
      CHECKPOINT_KEY_FILE: keyFile,
      ALLOWED_ORIGINS: 'https://kyogi.example.jp',
      HSTS_MAX_AGE_SECONDS: '31536000',
    },
  });
}

beforeAll(async () => {
  [prod, dev, limited] = await Promise.all([
    startProduction(),
    startApp(),
    startApp({ env: { RATE_LIMIT_USER_POINTS: '8', RATE_LIMIT_IP_POINTS: '20', RATE_LIMIT_WINDOW_SECONDS: '120' } }),
  ]);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const ws of webSockets) ws.terminate();
  await stopAllApps();
});

/** POST raw bytes to /graphql. */
async function post(url: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, text, json };
}

const query = (url: string, source: string) => post(url, JSON.stringify({ query: source }));

/** The app still answers a normal query. */
async function expectHealthy(app: AppProcess): Promise<void> {
  const answer = await query(app.url, '{ serverInfo { authMode } }');
  expect(answer.status).toBe(200);
  expect(answer.json.data.serverInfo.authMode).toMatch(/^(OIDC|EMBEDDED)$/);
  expect(app.process.exitCode).toBeNull();
}

const nested = (depth: number) => `{ organisation(code: "131016") { ${'prefecture { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

// ---------------------------------------------------------------------------------------------
// 8. Documents beyond the limits, introspection in production.

describe('GraphQL documents beyond the limits (production)', () => {
  it.each([
    ['deep (20 levels)', nested(20)],
    ['aliased (40 aliases)', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
    ['full of directives (25)', `{ serverInfo { ${Array.from({ length: 25 }, () => 'authMode @include(if: true)').join(' ')} } }`],
    [
      'costly (a page of 1000 with nested objects)',
      '{ organisations(first: 1000) { totalCount edges { node { id name nameKana code prefectureCode prefecture { id name prefecture { id name } } } } } }',
    ],
    ['huge (6000 tokens)', `{ ${'__typename '.repeat(6000)}}`],
  ])('refuses a document %s with the generic error, naming no limit', async (_what, source) => {
    const answer = await query(prod.url, source);
    expect(answer.status).toBe(400);
    expect(answer.json.errors.map((e: { message: string }) => e.message)).toContain(LIMIT_MESSAGE);
    expect(answer.json.errors.every((e: { extensions?: Record<string, unknown> }) => !('stacktrace' in (e.extensions ?? {})))).toBe(true);
    expect(answer.text).not.toMatch(/limit of|exceeded|found \d/i);
    await expectHealthy(prod);
  });

  it('accepts a document within the limits (12 levels, 30 aliases)', async () => {
    expect((await query(prod.url, nested(12))).status).toBe(200);
    expect((await query(prod.url, `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }`)).status).toBe(200);
  });

  it('refuses a batch of operations', async () => {
    const answer = await post(prod.url, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('"Query"');
    await expectHealthy(prod);
  });

  it.each([
    ['__schema', '{ __schema { queryType { name } types { name fields { name } } } }'],
    ['__type', '{ __type(name: "Mutation") { fields { name args { name } } } }'],
    ['__schema in a fragment', 'query { ...F } fragment F on Query { __schema { types { name } } }'],
  ])('refuses an introspection probe (%s) in production', async (_what, source) => {
    const answer = await query(prod.url, source);
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].message).toMatch(/introspection is not allowed/);
    expect(answer.text).not.toContain('demoLogin');
    await expectHealthy(prod);
  });

  it('hides field suggestions in production', async () => {
    const answer = await query(prod.url, '{ organisatio(code: "131016") { id } serverInf { authMode } }');
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(/Did you mean|organisation"|serverInfo/);
    expect(answer.json.errors[0].message).toMatch(/^Cannot query field "organisatio" on type "Query"\.?$/);
  });

  it('shows no GraphiQL or Apollo landing page in production', async () => {
    const page = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    const text = await page.text();
    expect(text).not.toMatch(/graphiql|apollo.*sandbox|<html/i);
  });

  it('sends the security headers: CSP for the web client, HSTS as configured, no X-Powered-By', async () => {
    const response = await fetch(`${prod.url}/`, { headers: { accept: 'text/html' } });
    await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp.split(';')).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "connect-src 'self' wss://kyogi.example.jp",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ]),
    );
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const graphql = await query(prod.url, '{ __typename }');
    expect(graphql.headers.get('content-security-policy')).toBe(csp);
  });

  it('sends no HSTS where it is not configured', async () => {
    expect((await query(dev.url, '{ __typename }')).headers.get('strict-transport-security')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// 9. Cross-site requests.

describe('cross-site requests', () => {
  it.each([
    ['a form POST (urlencoded)', 'application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['a text/plain POST', 'text/plain', JSON.stringify({ query: '{ __typename }' })],
    ['a multipart form POST', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--\r\n'],
  ])('refuses %s without the preflight header (CSRF prevention)', async (_what, contentType, body) => {
    const answer = await post(dev.url, body, { 'content-type': contentType, origin: FOREIGN_ORIGIN });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/Cross-Site Request Forgery/);
    expect(answer.text).not.toContain('"Query"');
  });

  it('refuses a GET query without the preflight header', async () => {
    const response = await fetch(`${dev.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: FOREIGN_ORIGIN } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  it('answers CORS preflight for an allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${dev.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    expect((await preflight(ALLOWED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect((await preflight(FOREIGN_ORIGIN)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('closes a graphql-ws connection from a foreign origin with 4403 and accepts the allowed one', async () => {
    const token = await demoLogin(dev.url, AUDITOR);
    const foreign = graphqlWs(dev.url, { origin: FOREIGN_ORIGIN });
    await foreign.opened;
    foreign.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect((await foreign.closed).code).toBe(4403);

    const allowed = graphqlWs(dev.url, { origin: ALLOWED_ORIGIN });
    await allowed.opened;
    allowed.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect(await allowed.next()).toEqual({ type: 'connection_ack' });
    allowed.ws.close();
  });

  it('refuses a socket.io connection from a foreign origin', async () => {
    const token = await demoLogin(dev.url, AUDITOR);
    for (const transports of [['websocket'], ['polling']]) {
      const error = await connectError(liveSocket(dev.url, token, { transports, extraHeaders: { origin: FOREIGN_ORIGIN } }));
      expect(error.message).toMatch(/websocket error|xhr poll error|403/i);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 13. Oversized, malformed and oddly encoded requests and frames.

describe('malformed requests', () => {
  it('answers 413 to a body over 2 MB', async () => {
    const answer = await post(dev.url, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(3 * 1024 * 1024)}` }));
    expect(answer.status).toBe(413);
  });

  it('answers 400 to malformed JSON', async () => {
    for (const body of ['{"query": ', '{"query": "{ __typename }",}', 'null', '"{ __typename }"', '']) {
      const answer = await post(dev.url, body);
      expect([body, answer.status]).toEqual([body, 400]);
    }
  });

  it('answers a 4xx to a content type it does not take', async () => {
    for (const contentType of ['application/xml', 'application/octet-stream', 'image/png']) {
      const answer = await post(dev.url, '<query>{ __typename }</query>', { 'content-type': contentType });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
  });

  it('answers 400 to invalid UTF-8', async () => {
    const body = Buffer.concat([Buffer.from('{"query":"{ organisations(search: \\"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\\") { totalCount } }"}')]);
    expect((await post(dev.url, body)).status).toBe(400);
  });

  it('answers 415 to a UTF-16 or Latin-1 body that says so, and 400 to UTF-16 that does not', async () => {
    const json = JSON.stringify({ query: '{ __typename }' });
    expect((await post(dev.url, Buffer.from(json, 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' })).status).toBe(415);
    expect((await post(dev.url, Buffer.from(json, 'latin1'), { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
    expect((await post(dev.url, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]))).status).toBe(400);
  });

  it('closes a graphql-ws connection that sends a malformed frame with 4400', async () => {
    const token = await demoLogin(dev.url, AUDITOR);
    for (const frame of ['not json', '{"type":"subscribe"}', '{"type":"unknown"}', '{"id":1,"type":"subscribe","payload":{}}']) {
      const socket = graphqlWs(dev.url);
      await socket.opened;
      socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      expect(await socket.next()).toEqual({ type: 'connection_ack' });
      socket.ws.send(frame);
      expect([frame, (await socket.closed).code]).toEqual([frame, 4400]);
    }
  });

  it('closes a graphql-ws connection that sends a frame over 2 MB with 1009', async () => {
    const socket = graphqlWs(dev.url);
    await socket.opened;
    socket.ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(3 * 1024 * 1024) } }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('answers a subscribe before connection_init with 4401, and never speaks another subprotocol', async () => {
    const early = graphqlWs(dev.url);
    await early.opened;
    early.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await early.closed).code).toBe(4401);
    // The legacy subscriptions-transport-ws protocol: the server does not select it, so the client aborts the handshake.
    const legacy = graphqlWs(dev.url, { protocol: 'graphql-ws' });
    expect((await legacy.closed).code).toBe(1006);
    expect(legacy.ws.protocol).toBe('');
  });

  it('is still up and answering', async () => {
    await expectHealthy(dev);
  });
});

// ---------------------------------------------------------------------------------------------
// The input rules reach both transports.

describe('input rules over HTTP and graphql-ws', () => {
  const SEARCH = 'query ($search: String) { organisations(search: $search, kind: MUNICIPALITY) { edges { node { name } } } }';
  const DECOMPOSED = 'さっほ\u309Aろ'; // ぽ as ほ + the combining handakuten: NFC makes it the seeded さっぽろし

  it('normalises to NFC before the resolver and refuses control characters naming the argument', async () => {
    const token = await demoLogin(dev.url, AUDITOR);
    const found = await gql(dev.url, SEARCH, { search: DECOMPOSED }, token);
    expect(found.data.organisations.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['札幌市']);
    const refused = await gql(dev.url, 'mutation ($email: String!) { demoLogin(email: $email) { token } }', { email: 'staff\u0000@city.sapporo.example.jp' });
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: 'email: must not contain line breaks, tabs or other control characters (U+0000 at character 6)',
        extensions: { code: 'BAD_USER_INPUT', field: 'email', rule: 'controlCharacter' },
      }),
    ]);
  });

  it('does the same for operations over graphql-ws', async () => {
    const token = await demoLogin(dev.url, AUDITOR);
    const socket = graphqlWs(dev.url);
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect(await socket.next()).toEqual({ type: 'connection_ack' });
    socket.send({ id: '1', type: 'subscribe', payload: { query: SEARCH, variables: { search: DECOMPOSED } } });
    expect(await socket.next()).toEqual({ id: '1', type: 'next', payload: { data: { organisations: { edges: [{ node: { name: '札幌市' } }] } } } });
    expect(await socket.next()).toEqual({ id: '1', type: 'complete' });
    socket.send({ id: '2', type: 'subscribe', payload: { query: SEARCH, variables: { search: 'x'.repeat(201) } } });
    const refused = (await socket.next()) as { payload: { errors: { message: string; extensions: unknown }[] } };
    expect(refused.payload.errors).toEqual([
      expect.objectContaining({ message: 'search: at most 200 characters', extensions: { code: 'BAD_USER_INPUT', field: 'search', rule: 'maxLength' } }),
    ]);
    socket.ws.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Rate limits (8 per person and 20 per address in 120 s on `limited`).

describe('rate limits', () => {
  it('answers 429 with Retry-After once a person has spent the window, and counts people apart', async () => {
    const token = await demoLogin(limited.url, AUDITOR); // 1 for the address
    const me = () => gql(limited.url, '{ serverInfo { authMode } }', undefined, token, { allowNon200: true });
    for (let i = 0; i < 8; i++) expect((await me()).status).toBe(200); // 9 for the address, 8 for the person
    const response = await fetch(`${limited.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ serverInfo { authMode } }' }),
    }); // 10
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.stringMatching(/^Too many requests/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }],
    });
    // Anonymous requests from the same address still pass until the address's 20.
    expect((await query(limited.url, '{ __typename }')).status).toBe(200); // 11
  });

  it('refuses graphql-ws operations and socket.io connections beyond the limit with RATE_LIMITED', async () => {
    const token = await demoLogin(limited.url, 'staff@vill.hinohara.example.jp'); // 12
    const socket = graphqlWs(limited.url);
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect(await socket.next()).toEqual({ type: 'connection_ack' });
    const answers: string[] = [];
    for (let i = 13; i <= 22; i++) {
      socket.send({ id: String(i), type: 'subscribe', payload: { query: '{ __typename }' } });
      const message = await socket.next();
      if (message.type === 'next') {
        expect(await socket.next()).toEqual({ id: String(i), type: 'complete' });
        answers.push('ok');
      } else {
        expect(message).toMatchObject({ id: String(i), type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED' } }] });
        answers.push('RATE_LIMITED');
      }
    }
    expect(answers).toEqual([...Array(8).fill('ok'), 'RATE_LIMITED', 'RATE_LIMITED']);
    const error = await connectError(liveSocket(limited.url, token));
    expect(error.message).toBe('RATE_LIMITED');
    expect((error as { data?: unknown }).data).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((await query(limited.url, '{ __typename }')).status).toBe(429);
  });
});

describe('rate limits across two instances with Redis', () => {
  let redisUrl: string | undefined = process.env.REDIS_URL;
  let redisServer: ChildProcess | undefined;
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;
  let shared: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    if (!redisUrl) {
      const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);
      if (!binary) return;
      const port = await freePort();
      redisServer = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      redisUrl = `redis://127.0.0.1:${port}`;
      const deadline = Date.now() + 10_000;
      while (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG') {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    shared = await createTestDatabase(embeddedServerUrl(), 'ratelimit');
    const env = { REDIS_URL: redisUrl, RATE_LIMIT_IP_POINTS: '10', RATE_LIMIT_WINDOW_SECONDS: '120' };
    a = await startApp({ databaseUrl: shared.url, env });
    b = await startApp({ databaseUrl: shared.url, env, seedDemo: false });
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await shared?.drop();
    redisServer?.kill('SIGTERM');
  });

  it('shares one count per address between the instances', async () => {
    if (!redisUrl) {
      if (process.env.CI === 'true') throw new Error('CI=true but there is no Redis (REDIS_URL) for the cross-instance rate limit');
      console.log('SKIPPED the cross-instance rate limit: no REDIS_URL and no redis-server here');
      return;
    }
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await query(a!.url, '{ __typename }')).status);
    for (let i = 0; i < 5; i++) statuses.push((await query(b!.url, '{ __typename }')).status);
    // Each instance has seen 5; only a shared count says the address has spent its 10.
    statuses.push((await query(a!.url, '{ __typename }')).status, (await query(b!.url, '{ __typename }')).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
  });
});

// ---------------------------------------------------------------------------------------------
// Clients.

interface GraphqlWsMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A raw graphql-ws (graphql-transport-ws) socket: frames in, frames out, the close code. */
function graphqlWs(url: string, options: { origin?: string; protocol?: string } = {}) {
  const ws = new WebSocket(
    `${url.replace(/^http/, 'ws')}/graphql`,
    options.protocol ?? 'graphql-transport-ws',
    options.origin ? { headers: { origin: options.origin } } : {},
  );
  webSockets.push(ws);
  const inbox: GraphqlWsMessage[] = [];
  const waiting: ((message: GraphqlWsMessage) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as GraphqlWsMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  ws.on('error', () => undefined); // the close event carries what the tests look at
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return {
    ws,
    opened,
    closed,
    send: (message: object) => ws.send(JSON.stringify(message)),
    next: (): Promise<GraphqlWsMessage> =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift()!)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no graphql-ws message within 10 s')), 10_000);
            waiting.push((message) => {
              clearTimeout(timer);
              resolve(message);
            });
          }),
  };
}

function liveSocket(url: string, token: string, options: { transports?: string[]; extraHeaders?: Record<string, string> } = {}): Socket {
  const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  sockets.push(socket);
  return socket;
}

function connectError(socket: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the connection was accepted')));
    socket.once('connect_error', (error) => resolve(error));
  });
}
