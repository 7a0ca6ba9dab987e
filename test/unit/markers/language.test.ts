import { describe, expect, it } from 'vitest';
import { extensionOf, extensionTable, languageForPath } from '../../../src/core/markers/language';

describe('languageForPath', () => {
  it('reads .html .htm .vue .astro .svelte as HTML-like and .jsx .tsx as JSX', () => {
    for (const p of ['a.html', 'a.htm', 'src/App.vue', 'x/y.astro', 'W.svelte'])
      expect(languageForPath(p)?.flavour).toBe('html');
    for (const p of ['a.jsx', 'src/Page.TSX']) expect(languageForPath(p)?.flavour).toBe('jsx');
  });

  it('treats braces in markup text as expressions only for JSX, Svelte and Astro', () => {
    expect(languageForPath('a.tsx')?.braceExpressions).toBe(true);
    expect(languageForPath('a.svelte')?.braceExpressions).toBe(true);
    expect(languageForPath('a.astro')?.braceExpressions).toBe(true);
    expect(languageForPath('a.html')?.braceExpressions).toBe(false);
    expect(languageForPath('a.vue')?.braceExpressions).toBe(false);
  });

  it('returns null for extensions that never carry markers', () => {
    expect(languageForPath('a.ts')).toBeNull();
    expect(languageForPath('README')).toBeNull();
    expect(languageForPath('dir.html/file')).toBeNull();
  });

  it('adds configured extensions: a list reads as HTML-like, a map names the flavour', () => {
    expect(languageForPath('page.php', ['.php'])?.flavour).toBe('html');
    expect(languageForPath('page.php', ['php'])?.ext).toBe('.php');
    expect(languageForPath('doc.mdx', { '.mdx': 'jsx' })?.flavour).toBe('jsx');
    expect(extensionTable({ '.x': 'nonsense' as never }).has('.x')).toBe(false);
  });

  it('takes the extension after the last dot of the file name only', () => {
    expect(extensionOf('a/b.c/d')).toBe('');
    expect(extensionOf('.gitignore')).toBe('');
    expect(extensionOf('x.min.HTML')).toBe('.html');
    expect(extensionOf('C:\\w\\a.Vue')).toBe('.vue');
  });
});
