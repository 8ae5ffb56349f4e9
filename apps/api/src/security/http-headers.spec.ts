import { contentSecurityDirectives, helmetOptions } from './http-headers';

describe('security headers', () => {
  it('allows the web client its own origin only, and its sockets', () => {
    expect(contentSecurityDirectives(['https://kyogi.example.jp', 'http://localhost:3000'])).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'connect-src': ["'self'", 'wss://kyogi.example.jp', 'ws://localhost:3000'],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
    });
  });

  it("adds the sign-in issuer's origin to connect-src when the web client signs in through OIDC, and only then", () => {
    expect(contentSecurityDirectives(['https://kyogi.example.jp'], 'https://id.kyogi.example.jp:8443/realms/kyogi')['connect-src']).toEqual([
      "'self'",
      'wss://kyogi.example.jp',
      'https://id.kyogi.example.jp:8443',
    ]);
    expect(contentSecurityDirectives(['https://kyogi.example.jp'], null)['connect-src']).toEqual(["'self'", 'wss://kyogi.example.jp']);
    const options = {
      production: true,
      allowedOrigins: ['https://kyogi.example.jp'],
      hstsMaxAgeSeconds: 0,
      signInIssuer: 'https://id.kyogi.example.jp/realms/kyogi',
    };
    const csp = helmetOptions(options, true).contentSecurityPolicy as { directives: Record<string, string[]> };
    expect(csp.directives['connect-src']).toContain('https://id.kyogi.example.jp');
  });

  it('sends HSTS only when configured', () => {
    expect(helmetOptions({ production: true, allowedOrigins: [], hstsMaxAgeSeconds: 0 }, true).strictTransportSecurity).toBe(false);
    expect(helmetOptions({ production: true, allowedOrigins: [], hstsMaxAgeSeconds: 600 }, true).strictTransportSecurity).toEqual({
      maxAge: 600,
      includeSubDomains: true,
    });
  });
});
