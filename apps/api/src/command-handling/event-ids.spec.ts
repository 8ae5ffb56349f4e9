import fc from 'fast-check';
import { entityIdFor, eventIdFor } from './event-ids';

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

describe('entityIdFor', () => {
  it('gives a ULID-shaped id that depends only on the command id', () => {
    const id = entityIdFor('cmd-1');
    expect(id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(entityIdFor('cmd-1')).toBe(id);
    expect(entityIdFor('cmd-2')).not.toBe(id);
  });

  it('always fits the ULID alphabet and length', () => {
    fc.assert(fc.property(fc.string(), (commandId) => expect(entityIdFor(commandId)).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/)));
  });
});
