import { describe, expect, it } from 'vitest';
import { compileIgnore } from '../../../src/core/markers/ignore';

describe('compileIgnore', () => {
  const m = compileIgnore([
    '# comment',
    '*.log',
    '/generated',
    'out/',
    'docs/**/*.html',
    '!docs/keep/*.html',
    'a?c',
    '[xy].vue',
    '**/tmp/**',
    '\\#hash',
  ]);

  it('matches a slash-free pattern at any depth', () => {
    expect(m.ignores('x.log', false)).toBe(true);
    expect(m.ignores('a/b/x.log', false)).toBe(true);
    expect(m.ignores('abc', false)).toBe(true);
    expect(m.ignores('a/x.vue', false)).toBe(true);
    expect(m.ignores('a/z.vue', false)).toBe(false);
  });

  it('anchors a pattern with a leading slash to the root', () => {
    expect(m.ignores('generated', true)).toBe(true);
    expect(m.ignores('src/generated', true)).toBe(false);
  });

  it('matches a trailing-slash pattern only against directories', () => {
    expect(m.ignores('out', true)).toBe(true);
    expect(m.ignores('a/out', true)).toBe(true);
    expect(m.ignores('out', false)).toBe(false);
  });

  it('supports ** and lets a later ! pattern re-include', () => {
    expect(m.ignores('docs/a/b/x.html', false)).toBe(true);
    expect(m.ignores('docs/x.html', false)).toBe(true);
    expect(m.ignores('docs/keep/x.html', false)).toBe(false);
    expect(m.ignores('a/tmp/b/c.tsx', false)).toBe(true);
  });

  it('reads escaped # as a literal and skips comments and blank lines', () => {
    expect(m.ignores('#hash', false)).toBe(true);
    expect(m.ignores('# comment', false)).toBe(false);
    expect(compileIgnore(['', '   ']).ignores('a', false)).toBe(false);
  });
});
