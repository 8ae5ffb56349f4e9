import { preparedStatement } from './prepared-statement';

describe('preparedStatement', () => {
  it('names a text the same way every time, and two texts differently', () => {
    const first = preparedStatement('SELECT 1 WHERE $1::int = 1', [1]);
    const again = preparedStatement('SELECT 1 WHERE $1::int = 1', [2]);
    const other = preparedStatement('SELECT 2 WHERE $1::int = 1', [1]);
    expect(first.name).toBe(again.name);
    expect(other.name).not.toBe(first.name);
    expect(first.name).toMatch(/^kyogi_read_[0-9a-f]{24}$/);
  });

  it('carries the text and the values of the call', () => {
    expect(preparedStatement('SELECT $1::text', ['a'])).toMatchObject({ text: 'SELECT $1::text', values: ['a'] });
  });
});
