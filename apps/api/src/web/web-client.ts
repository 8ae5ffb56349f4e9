/**
 * Serves the built web client (apps/web/dist) from the api's own HTTP server: hashed assets with
 * a year's cache, index.html never cached (it names the current assets), and index.html for the
 * client's own routes (/specs/…, /proposals/…) so that a reload or a shared link works.
 *
 * The fallback answers only GET/HEAD requests that accept text/html and are not the API's: the
 * paths in API_PATHS (GraphQL, health, the audit export and matrix downloads, the consultation
 * result sheets, /.well-known, socket.io, metrics) always go on to Nest, whatever the Accept header — a
 * download link clicked in the browser asks for text/html too.
 *
 * Plain Node (no Nest, no express import): a connect-style middleware that main.ts installs with
 * `app.use` before the routes. A URL path maps to a file under the build directory only: no dot
 * segments, no hidden files, nothing outside it.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** Paths that belong to the API: never answered with the client. */
export const API_PATHS: readonly RegExp[] = [
  /^\/graphql(\/|$)/,
  /^\/health(\/|$)/,
  /^\/audit\/export(\/|$)/, // /audit itself is the client's audit page
  /^\/matrix(\/|$)/,
  /^\/consultations\/[^/]+\/[^/]+\.(xlsx|csv)$/,
  /^\/\.well-known(\/|$)/,
  /^\/socket\.io(\/|$)/,
  /^\/metrics(\/|$)/,
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';
/** Unhashed files next to index.html (favicon): an hour. */
const SHORT = 'public, max-age=3600';

export type Next = (error?: unknown) => void;
export type WebClientMiddleware = (request: IncomingMessage, response: ServerResponse, next: Next) => void;

export interface WebClient {
  /** Whether a build was found at start. */
  readonly available: boolean;
  readonly dir: string;
  readonly middleware: WebClientMiddleware;
}

export const isApiPath = (pathname: string): boolean => API_PATHS.some((pattern) => pattern.test(pathname));

/** A browser navigating (Accept: text/html…), not a script or a tool asking for data. */
const acceptsHtml = (request: IncomingMessage): boolean => /\btext\/html\b/.test(String(request.headers.accept ?? ''));

const cacheControlOf = (relative: string): string => (relative === 'index.html' ? NO_CACHE : relative.startsWith('assets/') ? IMMUTABLE : SHORT);

/** The file under `dir` that a URL path names, or null: no dot segments, no hidden files, never outside `dir`. */
function fileOf(dir: string, pathname: string): { file: string; relative: string } | null {
  const relative = pathname.replace(/^\/+/, '');
  if (relative === '' || relative.includes('\0') || relative.split('/').some((segment) => segment === '' || segment.startsWith('.'))) return null;
  const file = path.resolve(dir, relative);
  if (!file.startsWith(dir + path.sep)) return null;
  try {
    return statSync(file).isFile() ? { file, relative } : null;
  } catch {
    return null;
  }
}

/**
 * The client's files in `dir` (apps/web/dist); `available: false` when there is no build there.
 * Files are looked up per request (a rebuild under a running dev server is picked up).
 */
export function webClient(dir: string): WebClient {
  const root = path.resolve(dir);
  const available = existsSync(path.join(root, 'index.html'));

  const send = (request: IncomingMessage, response: ServerResponse, found: { file: string; relative: string }, next: Next) => {
    let size: number;
    try {
      size = statSync(found.file).size;
    } catch {
      return next(); // removed since (a rebuild): Nest's 404
    }
    const type = TYPES[path.extname(found.relative).toLowerCase()] ?? 'application/octet-stream';
    response.statusCode = 200;
    response.setHeader('Content-Type', type);
    response.setHeader('Content-Length', String(size));
    response.setHeader('Cache-Control', cacheControlOf(found.relative));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(found.file)
      .on('error', (error) => (response.headersSent ? response.destroy(error) : next(error)))
      .pipe(response);
  };

  const middleware: WebClientMiddleware = (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return next(); // a malformed escape: not ours to answer
    }
    if (isApiPath(pathname)) return next();
    const found = fileOf(root, pathname);
    if (found) return send(request, response, found, next);
    // A missing asset is a 404 from Nest, not the page: a stale tab must not run HTML as script.
    if (pathname.startsWith('/assets/') || !acceptsHtml(request)) return next();
    const index = fileOf(root, '/index.html');
    if (!index) return next();
    send(request, response, index, next);
  };
  return { available, dir: root, middleware };
}
