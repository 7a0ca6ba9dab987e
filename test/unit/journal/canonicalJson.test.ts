import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/canonicalJson';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives byte-equal text for objects built in different key orders', () => {
    const one = { x: 1, y: { p: 'a', q: [true, false] } };
    const two = { y: { q: [true, false], p: 'a' }, x: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('orders keys by UTF-16 code units, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, ä: 3, a: 4, '10': 5, '9': 6 })).toBe(
      '{"10":5,"9":6,"B":2,"a":4,"b":1,"ä":3}',
    );
  });

  it('omits undefined properties, writes undefined array items as null, escapes strings as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 'x"\n'] })).toBe('{"b":[null,"x\\"\\n"]}');
  });

  it('refuses values JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ code: 'not_json', field: '$.n' }),
    );
    expect(() => canonicalJson(cyclic)).toThrow(expect.objectContaining({ code: 'not_json', field: '$.me' }));
    expect(() => canonicalJson({ f: () => 1 })).toThrow(expect.objectContaining({ code: 'not_json' }));
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});
