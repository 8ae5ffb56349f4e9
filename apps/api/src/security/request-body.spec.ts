import { BodyEncodingError, utf8JsonOnly } from './request-body';

describe('utf8JsonOnly', () => {
  const verify = (bytes: Buffer, encoding = 'utf-8') => {
    try {
      utf8JsonOnly({} as never, {}, bytes, encoding);
      return null;
    } catch (error) {
      return error instanceof BodyEncodingError ? error.status : error;
    }
  };

  it('accepts valid UTF-8', () => expect(verify(Buffer.from('{"query":"{ 檜原村 }"}'))).toBeNull());
  it('refuses invalid bytes with 400', () => expect(verify(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe(400));
  it('refuses a declared UTF-16 or Latin-1 body with 415', () => {
    expect(verify(Buffer.from('{}', 'utf16le'), 'utf-16le')).toBe(415);
    expect(verify(Buffer.from('{}', 'latin1'), 'latin1')).toBe(415);
  });
});
