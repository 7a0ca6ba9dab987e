import { describe, expect, it } from 'vitest';
import { attrString, decodeEntities, findAttr } from '../../../src/core/markers/attributes';
import { skipBraces } from '../../../src/core/markers/jsBraces';
import { languageForPath } from '../../../src/core/markers/language';
import { findElementEnd, readCloseTag, readTag } from '../../../src/core/markers/markupTokens';
import type { Language } from '../../../src/core/markers/types';

const html = languageForPath('a.html') as Language;
const jsx = languageForPath('a.tsx') as Language;

function extent(text: string, lang: Language): string | null {
  const tag = readTag(text, 0);
  if (tag === null) return null;
  const e = findElementEnd(text, tag, lang);
  return e === null ? null : text.slice(0, e.end);
}

describe('readTag', () => {
  it('reads quoted, unquoted, bare and JSX-expression attributes across lines', () => {
    const text =
      '<div\n  class="a b" data-x=\'1\' hidden w=3\n  style={{ display: "none", n: a > b }}\n  {...rest}\n>';
    const tag = readTag(text, 0);
    expect(tag?.name).toBe('div');
    expect(tag?.end).toBe(text.length);
    expect(tag?.attrs.map((a) => [a.name, a.raw, a.quote])).toEqual([
      ['class', 'a b', '"'],
      ['data-x', '1', "'"],
      ['hidden', null, null],
      ['w', '3', null],
      ['style', '{ display: "none", n: a > b }', '{'],
      ['', '...rest', '{'],
    ]);
  });

  it('accepts Vue, Svelte and Angular attribute names', () => {
    const tag = readTag(
      '<a :class="x" @click.prevent="go" #slot on:click|once={f} (tap)="t" [x]="y" bind:value={v}>',
      0,
    );
    expect(tag?.attrs.map((a) => a.name)).toEqual([
      ':class',
      '@click.prevent',
      '#slot',
      'on:click|once',
      '(tap)',
      '[x]',
      'bind:value',
    ]);
  });

  it('reads a self-closing tag', () => {
    expect(readTag('<img src="a.png" />', 0)?.selfClosing).toBe(true);
  });

  it('rejects comparisons and code that only look like a tag start', () => {
    expect(readTag('<b) { return <div className="x">', 0)).toBeNull();
    expect(readTag('<b.length; i++) {', 0)).toBeNull();
    expect(readTag('< div>', 0)).toBeNull();
    expect(readTag('<div class="unterminated>', 0)).toBeNull();
  });

  it('reads close tags with spaces before >', () => {
    expect(readCloseTag('</div >', 0)).toEqual({ name: 'div', start: 0, end: 7 });
    expect(readCloseTag('</div', 0)).toBeNull();
  });
});

describe('skipBraces', () => {
  it('skips strings, template literals with nested substitutions, and comments', () => {
    const text = `{ a("}", '{', \`x \${ {b: "}"} } y\`) /* } */ // }\n }rest`;
    expect(text.slice(skipBraces(text, 0, text.length))).toBe('rest');
  });

  it('returns -1 when unbalanced', () => {
    expect(skipBraces('{ a { b }', 0, 9)).toBe(-1);
  });

  it('ends an unterminated string at its line break so one apostrophe cannot swallow the rest', () => {
    const text = "{ don't\n }after";
    expect(text.slice(skipBraces(text, 0, text.length))).toBe('after');
  });
});

describe('findElementEnd', () => {
  it('matches the right close across nesting, comments and raw text', () => {
    const text =
      '<div a><div><!-- </div> --><p>x</p><br><script>"</div>"</script></div><div/></div><span></span>';
    expect(extent(text, html)).toBe(text.slice(0, text.indexOf('<span>')));
  });

  it('ignores JSX comments and same-name self-closing elements in JSX', () => {
    const text = '<div>{/* </div> */}<div />{x > 1 && <div>n</div>}</div> tail';
    expect(extent(text, jsx)).toBe(text.slice(0, -5));
  });

  it('is not thrown off by unclosed <p> and <li> siblings', () => {
    const text = '<ul><li>a<li>b<p>c</ul>!';
    expect(extent(text, html)).toBe('<ul><li>a<li>b<p>c</ul>');
  });

  it('ends a void element at its tag in HTML', () => {
    expect(extent('<img src=a.png>rest', html)).toBe('<img src=a.png>');
  });

  it('compares tag names case-insensitively in HTML and exactly in JSX', () => {
    expect(extent('<DIV>x</div>', html)).toBe('<DIV>x</div>');
    expect(extent('<Card>x</card></Card>', jsx)).toBe('<Card>x</card></Card>');
  });

  it('returns null for an unclosed element', () => {
    expect(extent('<div><div></div>', html)).toBeNull();
  });
});

describe('attribute values', () => {
  it('decodes character references', () => {
    expect(decodeEntities('a &amp; b &quot;c&quot; &#39;d&#x27; &nope; &')).toBe('a & b "c" \'d\' &nope; &');
  });

  it('unwraps single JSX string literals but not other expressions', () => {
    const tag = readTag('<div a={"x"} b={`y`} c={f(1)} d="&lt;" e>', 0);
    if (tag === null) throw new Error('no tag');
    expect(attrString(findAttr(tag, 'a'))).toBe('x');
    expect(attrString(findAttr(tag, 'b'))).toBe('y');
    expect(attrString(findAttr(tag, 'c'))).toBeNull();
    expect(attrString(findAttr(tag, 'd'))).toBe('<');
    expect(attrString(findAttr(tag, 'e'))).toBeNull();
  });
});
