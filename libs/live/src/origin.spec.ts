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
});
