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

  it('sends HSTS only when configured', () => {
    expect(helmetOptions({ production: true, allowedOrigins: [], hstsMaxAgeSeconds: 0 }, true).strictTransportSecurity).toBe(false);
    expect(helmetOptions({ production: true, allowedOrigins: [], hstsMaxAgeSeconds: 600 }, true).strictTransportSecurity).toEqual({
      maxAge: 600,
      includeSubDomains: true,
    });
  });
});
