import fc from 'fast-check';
import { eventIdFor } from './event-ids';

describe('eventIdFor', () => {
  it('gives a version-5 UUID that depends only on the command id and the index', () => {
    const id = eventIdFor('cmd-1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('cmd-1', 0)).toBe(id);
    expect(eventIdFor('cmd-1', 1)).not.toBe(id);
    expect(eventIdFor('cmd-2', 0)).not.toBe(id);
  });

  it('never gives two (command, index) pairs the same id', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(100), fc.string(), fc.nat(100), (a, i, b, j) => {
        fc.pre(a !== b || i !== j);
        expect(eventIdFor(a, i)).not.toBe(eventIdFor(b, j));
      }),
    );
  });
});
