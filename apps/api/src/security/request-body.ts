/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1): body-parser would also decode UTF-16 and replace
 * invalid bytes with U+FFFD, so a request could carry text other than what its bytes say. The
 * json parser's `verify` refuses both before parsing.
 */
import type { IncomingMessage } from 'node:http';
import { isUtf8 } from 'node:buffer';

export class BodyEncodingError extends Error {
  override readonly name = 'BodyEncodingError';
  /** body-parser answers with this status (its default for verify errors is 403). */
  readonly expose = true;
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** body-parser `verify`: the declared charset must be UTF-8 and the bytes valid UTF-8. */
export function utf8JsonOnly(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('_', '-') !== 'utf-8') throw new BodyEncodingError(415, 'A JSON body must be UTF-8');
  if (!isUtf8(body)) throw new BodyEncodingError(400, 'The body is not valid UTF-8');
}
