// isJsonText must agree with JSON.parse (of the bytes decoded as UTF-8) on every input: recovery trusts a
// "yes" from it in place of parsing, so a wrong "yes" would accept a corrupt line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonText } from '../../../src/core/journal/jsonSyntax';

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const check = (bytes: Buffer) => isJsonText(bytes, 0, bytes.length);

/** Bytes JSON cares about, plus a few it does not, so random strings hit the grammar's edges often. */
const jsonishByte = fc.constantFrom(
  ...Buffer.from('{}[]:,"\\/ \t\r\n-+.0123456789eEabfnrtuxlsTN'),
  0x00,
  0x1f,
  0x7f,
  0x80,
  0xc3,
  0xa9,
  0xff,
);

describe('isJsonText', () => {
  it('accepts what JSON.parse accepts and refuses what it refuses, on edge cases', () => {
    const cases = [
      '{}',
      ' { } ',
      '[]',
      '0',
      '-0',
      '-0.0e-0',
      '1E+2',
      '1e400',
      '"\\u00e9\\uD800\\/\\b\\f\\n\\r\\t\\"\\\\"',
      '{"a":[1,{"b":null}],"c":true,"d":false,"a":2}',
      '"é ✓ \u0080"',
      '01',
      '1.',
      '.5',
      '-',
      '+1',
      '1e',
      '1e+',
      '0x10',
      '"\\u12"',
      '"\\u12G4"',
      '"\\x"',
      '"\\\'"',
      '"a\u0001b"',
      '"\t"',
      '"unterminated',
      '{"a":1,}',
      '[1,]',
      '[,1]',
      '{"a" 1}',
      '{a:1}',
      "{'a':1}",
      '{"a":1}}',
      '{"a":1} {}',
      'tru',
      'nul',
      'falsey',
      'NaN',
      'Infinity',
      '',
      ' ',
      '{"a":1',
      '[[[]]',
      '\u00a0{}',
      '{}\u00a0',
    ];
    for (const text of cases) {
      const bytes = Buffer.from(text);
      expect({ text, ok: check(bytes) }).toEqual({ text, ok: parses(bytes) });
    }
  });

  it('treats invalid UTF-8 inside a string as text and outside a string as an error, like JSON.parse', () => {
    const inString = Buffer.from([0x22, 0xff, 0xc3, 0x22]);
    const outside = Buffer.from([0x5b, 0x31, 0x2c, 0xff, 0x5d]);
    expect([check(inString), parses(inString)]).toEqual([true, true]);
    expect([check(outside), parses(outside)]).toEqual([false, false]);
  });

  it('handles nesting far deeper than a recursive parser could', () => {
    const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(check(deep)).toBe(true);
    expect(check(deep.subarray(0, deep.length - 1))).toBe(false);
  });

  it('reads nothing outside its range', () => {
    const bytes = Buffer.from('xx{"a":"b"}yy');
    expect(isJsonText(bytes, 2, 11)).toBe(true);
    // Each cut through the value fails although the bytes after the range would complete it.
    for (let end = 3; end < 11; end++) expect(isJsonText(bytes, 2, end)).toBe(false);
    const number = Buffer.from('[1]23');
    expect(isJsonText(number, 1, 2)).toBe(true);
    expect(isJsonText(Buffer.from('"ab"'), 0, 3)).toBe(false);
    expect(isJsonText(Buffer.from('"\\u0041"'), 0, 6)).toBe(false);
  });

  it('agrees with JSON.parse on generated JSON and on random mutations of it (3,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.json({ maxDepth: 4 }),
        fc.array(
          fc.record({ at: fc.nat(), byte: jsonishByte, op: fc.constantFrom('set', 'insert', 'delete') }),
          {
            maxLength: 3,
          },
        ),
        (text, edits) => {
          const bytes = [...Buffer.from(text)];
          for (const e of edits) {
            const at = bytes.length === 0 ? 0 : e.at % bytes.length;
            if (e.op === 'set' && bytes.length > 0) bytes[at] = e.byte;
            else if (e.op === 'insert') bytes.splice(at, 0, e.byte);
            else bytes.splice(at, 1);
          }
          const buf = Buffer.from(bytes);
          expect(check(buf)).toBe(parses(buf));
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('agrees with JSON.parse on random strings over the bytes JSON cares about (5,000 runs)', () => {
    fc.assert(
      fc.property(fc.array(jsonishByte, { maxLength: 24 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(check(buf)).toBe(parses(buf));
      }),
      { numRuns: 5000, seed: 12 },
    );
  });
});
