// Attribute values as strings: character references decoded, single JSX string literals unwrapped.
import type { Attr, TagToken } from './markupTokens';

export function findAttr(tag: TagToken, name: string): Attr | undefined {
  for (const a of tag.attrs) if (a.name === name) return a;
  return undefined;
}

const ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  apos: "'",
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
};

/** Decodes the character references HTML allows in attribute values and text. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const amp = s.indexOf('&', i);
    if (amp === -1) break;
    const semi = s.indexOf(';', amp);
    out += s.slice(i, amp);
    if (semi === -1 || semi - amp > 10) {
      out += '&';
      i = amp + 1;
      continue;
    }
    const ref = s.slice(amp + 1, semi);
    let decoded: string | undefined;
    if (ref.startsWith('#x') || ref.startsWith('#X')) {
      const n = Number.parseInt(ref.slice(2), 16);
      if (Number.isFinite(n) && n >= 0 && n <= 0x10ffff) decoded = String.fromCodePoint(n);
    } else if (ref.startsWith('#')) {
      const n = Number.parseInt(ref.slice(1), 10);
      if (Number.isFinite(n) && n >= 0 && n <= 0x10ffff) decoded = String.fromCodePoint(n);
    } else decoded = ENTITIES[ref];
    if (decoded === undefined) {
      out += '&';
      i = amp + 1;
    } else {
      out += decoded;
      i = semi + 1;
    }
  }
  return out + s.slice(i);
}

/**
 * The string an attribute carries: quoted values entity-decoded, and `{"…"}` / `{'…'}` / `` {`…`} ``
 * JSX values unwrapped when they are a single literal. Null for other expressions and bare attributes.
 */
export function attrString(attr: Attr | undefined): string | null {
  if (attr === undefined || attr.raw === null) return null;
  if (attr.quote === '"' || attr.quote === "'") return decodeEntities(attr.raw);
  if (attr.quote === null) return attr.raw;
  const inner = attr.raw.trim();
  const q = inner.charAt(0);
  if ((q === '"' || q === "'" || q === '`') && inner.length >= 2 && inner.endsWith(q)) {
    const body = inner.slice(1, -1);
    if (body.includes(q) || (q === '`' && body.includes('${'))) return null;
    return body.replace(/\\(.)/g, '$1');
  }
  return null;
}
