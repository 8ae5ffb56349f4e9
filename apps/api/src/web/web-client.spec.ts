import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isApiPath, webClient } from './web-client';

/** The middleware on a bare Node server; what it passes on answers 404 "api", as Nest would. */
async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const { middleware } = webClient(dir);
  const server = createServer((request, response) =>
    middleware(request, response, (error) => {
      response.statusCode = error ? 500 : 404;
      response.end(error ? 'error' : 'api');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('webClient', () => {
  let dir: string;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kyogi-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Kyogi</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(dir, '.secret'), 'no');
    writeFileSync(path.join(path.dirname(dir), 'outside.txt'), 'no');
    ({ url, server } = await serve(dir));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves hashed assets for a year and index.html never from cache', async () => {
    const asset = await fetch(`${url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1)');

    const root = await fetch(`${url}/`, { headers: html });
    expect(root.status).toBe(200);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(await root.text()).toContain('<title>Kyogi</title>');

    const icon = await fetch(`${url}/favicon.svg`);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it("answers the client's own routes with index.html for a browser navigating, and leaves other requests to the API", async () => {
    const page = await fetch(`${url}/proposals/01JQ7Z8K3M4N5P6Q7R8S9T0V1W?from=1`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');

    expect((await fetch(`${url}/specs`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${url}/specs`, { method: 'POST', headers: html })).status).toBe(404);
    // A missing asset is never answered with the page (a stale tab would run HTML as a script).
    expect((await fetch(`${url}/assets/index-old999.js`, { headers: html })).status).toBe(404);
  });

  it.each([
    '/graphql',
    '/health/live',
    '/health/ready',
    '/audit/export',
    '/matrix/proposals/01JQ7Z8K3M4N5P6Q7R8S9T0V1W.xlsx',
    '/consultations/01JQ7Z8K3M4N5P6Q7R8S9T0V1W/results.xlsx',
    '/consultations/01JQ7Z8K3M4N5P6Q7R8S9T0V1W/results.csv',
    '/.well-known/kyogi-checkpoint-keys.json',
    '/socket.io/',
    '/metrics',
  ])('leaves %s to the API even when a browser asks for HTML', async (apiPath) => {
    expect(isApiPath(apiPath)).toBe(true);
    const response = await fetch(`${url}${apiPath}`, { headers: html });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('api');
  });

  it.each(['/', '/consultations', '/consultations/01JQ7Z8K3M4N5P6Q7R8S9T0V1W', '/audit', '/talent/calculator', '/specs/juminkiroku/versions/4.0'])(
    'treats %s as a client route',
    async (clientPath) => {
      expect(isApiPath(clientPath)).toBe(false);
      const response = await fetch(`${url}${clientPath}`, { headers: html });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Kyogi</title>');
    },
  );

  it('never serves hidden files or anything outside the build directory', async () => {
    for (const attempt of ['/.secret', '/%2e%2e/outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const response = await fetch(`${url}${attempt}`, { headers: { accept: 'text/plain' } });
      expect({ attempt, status: response.status }).toEqual({ attempt, status: 404 });
    }
  });

  it('says when there is no build, and passes everything on', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kyogi-web-empty-'));
    try {
      expect(webClient(empty).available).toBe(false);
      const other = await serve(empty);
      expect((await fetch(`${other.url}/`, { headers: html })).status).toBe(404);
      await new Promise((resolve) => other.server.close(resolve));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
