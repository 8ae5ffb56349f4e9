import { originAllowed } from './origin';

describe('originAllowed', () => {
  const allowed = ['http://localhost:3000', 'https://kyogi.example.jp'];

  it('lets a configured origin in', () => {
    expect(originAllowed('https://kyogi.example.jp', allowed)).toBe(true);
  });

  it('refuses any other origin, including near misses', () => {
    expect(originAllowed('https://evil.example', allowed)).toBe(false);
    expect(originAllowed('http://localhost:3001', allowed)).toBe(false);
    expect(originAllowed('https://kyogi.example.jp.evil.example', allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
    expect(originAllowed(['http://localhost:3000', 'https://evil.example'], allowed)).toBe(false);
  });

  it('lets a client without an Origin header (not a browser) go on to the token check', () => {
    expect(originAllowed(undefined, allowed)).toBe(true);
  });

  it("lets the platform's own pages in, whatever host and port they were reached by (Origin's host = Host)", () => {
    expect(originAllowed('http://localhost:3999', allowed, 'localhost:3999')).toBe(true);
    expect(originAllowed('https://kyogi.intra.lg.jp', allowed, 'kyogi.intra.lg.jp')).toBe(true);
    expect(originAllowed('http://10.1.2.3:8080', allowed, '10.1.2.3:8080')).toBe(true);
  });

  it('refuses another site even when it names our host elsewhere, and opaque or odd origins', () => {
    expect(originAllowed('https://evil.example', allowed, 'localhost:3999')).toBe(false);
    expect(originAllowed('http://localhost:3998', allowed, 'localhost:3999')).toBe(false);
    expect(originAllowed('https://kyogi.intra.lg.jp.evil.example', allowed, 'kyogi.intra.lg.jp')).toBe(false);
    expect(originAllowed('null', allowed, 'null')).toBe(false);
    expect(originAllowed('file://localhost:3999', allowed, 'localhost:3999')).toBe(false);
    expect(originAllowed('http://localhost:3999', allowed, undefined)).toBe(false);
    expect(originAllowed('http://localhost:3999', allowed, ['localhost:3999'])).toBe(false);
  });
});
