import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  browserSessionIdSchema,
  isBrowserSessionId,
  isSourceSessionId,
  normalizeVariantId,
  sourceSessionIdSchema,
} from '../../../src/core/protocol';

describe('session ids', () => {
  it('browser session ids are exactly 8 lowercase hex characters', () => {
    expect(isBrowserSessionId('0123abcd')).toBe(true);
    for (const bad of ['0123ABCD', '0123abc', '0123abcde', 'g123abcd', '', 12345678, null]) {
      expect(isBrowserSessionId(bad)).toBe(false);
      expect(v.safeParse(browserSessionIdSchema, bad).success).toBe(false);
    }
  });

  it('source session ids are 1 to 64 of [A-Za-z0-9_-]', () => {
    for (const good of ['0123abcd', 'My_Session-2', 'a', 'x'.repeat(64)]) {
      expect(isSourceSessionId(good)).toBe(true);
      expect(v.safeParse(sourceSessionIdSchema, good).success).toBe(true);
    }
    for (const bad of ['', 'x'.repeat(65), 'a b', 'a/b', 'a.b', '../x', 5]) {
      expect(isSourceSessionId(bad)).toBe(false);
      expect(v.safeParse(sourceSessionIdSchema, bad).success).toBe(false);
    }
  });
});

describe('normalizeVariantId', () => {
  it('keeps canonical strings and stringifies integers 1..999', () => {
    expect(normalizeVariantId('1')).toBe('1');
    expect(normalizeVariantId('999')).toBe('999');
    expect(normalizeVariantId(42)).toBe('42');
    expect(normalizeVariantId(2.0)).toBe('2');
  });

  it('refuses zero, leading zeros, out-of-range, fractions and non-ids', () => {
    for (const bad of ['0', '007', '1000', '1e2', 'original', 0, 1000, 1.5, Number.NaN, '١']) {
      expect(normalizeVariantId(bad)).toBeUndefined();
    }
  });
});
