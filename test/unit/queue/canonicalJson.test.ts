import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalJson } from '../../../src/core/queue';
import { expectError } from './helpers';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":"é","z":null}]},"b":1}',
    );
  });

  it('gives equal strings for results that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson(-0)).toBe('0');
  });

  it('returns the canonical value beside the string', () => {
    const { json, value } = canonicalize({ b: true, a: 'x' });
    expect(json).toBe('{"a":"x","b":true}');
    expect(value).toEqual({ a: 'x', b: true });
    expect(Object.keys(value as object)).toEqual(['a', 'b']);
  });

  it('refuses values JSON cannot carry, naming the path', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      10n,
      Symbol('s'),
      () => 1,
      undefined,
      new Map(),
      cyclic,
      deep,
    ]) {
      expectError(() => canonicalJson(bad), 'invalid_result', 'result');
    }
    expect(() => canonicalJson({ a: [0, { b: Number.NaN }] })).toThrow(
      expect.objectContaining({ detail: { path: 'result.a[1].b' } }),
    );
  });

  it('writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});
