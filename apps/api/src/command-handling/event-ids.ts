import { createHash } from 'node:crypto';

// A fixed namespace for Kyogi event ids (UUID v5, RFC 9562 §5.5).
const NAMESPACE = Buffer.from('6b796f67-6901-4e76-8000-6576656e7473'.replace(/-/g, ''), 'hex');

/**
 * The id of the `index`-th event a command produces. Derived, not random, so that a retried
 * command appends events with the same ids and the store stores them once.
 */
export function eventIdFor(commandId: string, index: number): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${commandId}#${index}`, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id of an entity a command creates when the client names none, in ULID form (26 Crockford
 * base-32 characters). Derived from the command id, so a retried command creates nothing new.
 */
export function entityIdFor(commandId: string): string {
  let value = BigInt(`0x${createHash('sha256').update(`entity:${commandId}`, 'utf8').digest('hex').slice(0, 32)}`);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(value & 31n)] + id;
    value >>= 5n;
  }
  return id;
}
