/**
 * HTTP security headers (helmet) for everything the api serves, the web client included: a
 * Vite-built SPA whose scripts, styles, images and sockets all come from its own origin.
 *
 * connect-src lists the ws:/wss: form of each allowed origin besides 'self' because older
 * browsers do not let 'self' cover WebSockets. HSTS only when configured: TLS ends at the
 * proxy, and a Strict-Transport-Security header on plain http would be ignored or, worse, stick
 * to a host later served without TLS. Outside production, /graphql answers without a CSP so the
 * GraphiQL page (scripts from a CDN) works in development; in production there is no such page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export interface HttpHeaderOptions {
  readonly production: boolean;
  readonly allowedOrigins: readonly string[];
  /** 0: no Strict-Transport-Security header. */
  readonly hstsMaxAgeSeconds: number;
  /** The OIDC issuer the web client signs in with (discovery and token requests), when it does. */
  readonly signInIssuer?: string | null;
}

/** The CSP directives for the web client. */
export function contentSecurityDirectives(allowedOrigins: readonly string[], signInIssuer: string | null = null): Record<string, string[]> {
  const sockets = allowedOrigins.map((origin) => origin.replace(/^http/, 'ws'));
  // The browser fetches the issuer's discovery document and exchanges the code at its token endpoint.
  const issuer = signInIssuer ? [new URL(signInIssuer).origin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'connect-src': ["'self'", ...sockets, ...issuer],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
}

export function helmetOptions(options: HttpHeaderOptions, withCsp: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: withCsp
      ? { useDefaults: false, directives: contentSecurityDirectives(options.allowedOrigins, options.signInIssuer ?? null) }
      : false,
    strictTransportSecurity: options.hstsMaxAgeSeconds > 0 ? { maxAge: options.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** One middleware for the whole HTTP server. */
export function securityHeaders(options: HttpHeaderOptions): Middleware {
  const full = helmet(helmetOptions(options, true));
  const withoutCsp = helmet(helmetOptions(options, false));
  return (request, response, next) => {
    const graphiql = !options.production && (request.url ?? '').startsWith('/graphql');
    (graphiql ? withoutCsp : full)(request, response, next);
  };
}
