// Round trip over generated HTML and JSX documents: wrap any element, write N variants the way an agent
// does, then discard gives the original bytes, accept N gives the document with the element replaced by
// variant N, and a second accept changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveVariantsError } from '../../src/core/errors';
import { scanText } from '../../src/core/markers/scan';
import { acceptVariant } from '../../src/core/rewrite/accept';
import { discardVariants } from '../../src/core/rewrite/discard';
import { applyEdit } from '../../src/core/rewrite/textEdit';
import { wrapElement } from '../../src/core/rewrite/wrap';

type Node =
  | { kind: 'el'; tag: string; classes: string[]; withId: boolean; block: boolean; children: Node[] }
  | { kind: 'text'; words: string[] }
  | { kind: 'void' }
  | { kind: 'comment' }
  | { kind: 'expr' }
  /** Block layout only: an empty line, a whitespace-only line, a line at column 0. */
  | { kind: 'blank' }
  | { kind: 'spaces' }
  | { kind: 'col0' };

interface Style {
  jsx: boolean;
  unit: string;
  eol: string;
  finalEol: boolean;
}

const word = fc.constantFrom(
  'ship',
  'calm',
  'it’s',
  "don't",
  'a',
  'pro',
  'Hello',
  '&amp;',
  'plan.',
  'x-y',
  '42',
);
const tags = fc.constantFrom('div', 'section', 'p', 'span', 'ul', 'li', 'a', 'button', 'h2', 'article');
const klass = fc.constantFrom('card', 'hero', 'cta', 'row', 'x-1', 'is-on');

const tree = fc.letrec<{ node: Node; el: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('text' as const), words: fc.array(word, { minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('void' as const) }),
    fc.record({ kind: fc.constant('comment' as const) }),
    fc.record({ kind: fc.constant('expr' as const) }),
    fc.record({ kind: fc.constantFrom('blank' as const, 'spaces' as const, 'col0' as const) }),
    tie('el'),
    tie('el'),
  ),
  el: fc.record({
    kind: fc.constant('el' as const),
    tag: tags,
    classes: fc.uniqueArray(klass, { maxLength: 3 }),
    withId: fc.boolean(),
    block: fc.boolean(),
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
}));

const styleArb = fc.record({
  jsx: fc.boolean(),
  unit: fc.constantFrom('  ', '    ', '\t'),
  eol: fc.constantFrom('\n', '\r\n'),
  finalEol: fc.boolean(),
});

interface Rendered {
  text: string;
  /** Elements carrying an id, with their exact ranges. */
  targets: { id: string; start: number; end: number }[];
}

/** Renders a tree; element ranges are recorded while writing so they are exact. */
function render(
  root: Node,
  s: Style,
  baseIndent: string,
  prefix: string,
  suffix: string,
  idBase: string,
): Rendered {
  let out = prefix;
  const targets: Rendered['targets'] = [];
  let n = 0;
  const open = (el: Extract<Node, { kind: 'el' }>) => {
    const attrs: string[] = [];
    let id: string | null = null;
    if (el.withId) {
      id = `${idBase}${n++}`;
      attrs.push(`id="${id}"`);
    }
    if (el.classes.length > 0) attrs.push(`${s.jsx ? 'className' : 'class'}="${el.classes.join(' ')}"`);
    return { tag: `<${el.tag}${attrs.map((a) => ` ${a}`).join('')}>`, id };
  };
  const inline = (node: Node) => {
    if (node.kind === 'text') out += node.words.join(' ');
    else if (node.kind === 'void') out += s.jsx ? '<br />' : '<br>';
    else if (node.kind === 'comment') out += s.jsx ? '{/* note */}' : '<!-- note -->';
    else if (node.kind === 'expr') out += s.jsx ? '{count > 1 ? "many" : "one"}' : '{{ count }}';
    else if (node.kind === 'blank' || node.kind === 'spaces' || node.kind === 'col0') out += ' ';
    else {
      const start = out.length;
      const { tag, id } = open(node);
      out += tag;
      for (const c of node.children) inline(c);
      out += `</${node.tag}>`;
      if (id !== null) targets.push({ id, start, end: out.length });
    }
  };
  const block = (node: Node, indent: string) => {
    if (node.kind !== 'el' || !node.block || node.children.length === 0) {
      inline(node);
      return;
    }
    const start = out.length;
    const { tag, id } = open(node);
    out += tag;
    for (const c of node.children) {
      if (c.kind === 'blank') out += s.eol;
      else if (c.kind === 'spaces') out += s.eol + indent + s.unit + ' ';
      else if (c.kind === 'col0') out += `${s.eol}${s.jsx ? '{/* c0 */}' : '<!-- c0 -->'}`;
      else {
        out += s.eol + indent + s.unit;
        block(c, indent + s.unit);
      }
    }
    out += `${s.eol}${indent}</${node.tag}>`;
    if (id !== null) targets.push({ id, start, end: out.length });
  };
  out += baseIndent;
  block(root, baseIndent);
  out += suffix;
  return { text: out, targets };
}

function documentOf(root: Node, s: Style): Rendered {
  const e = s.eol;
  if (s.jsx) {
    const prefix = `import { useState } from "react";${e}${e}export function Page({ count }: { count: number }) {${e}${s.unit}return (${e}`;
    const suffix = `${e}${s.unit});${e}}${s.finalEol ? e : ''}`;
    return render(root, s, s.unit + s.unit, prefix, suffix, 'n');
  }
  return render(root, s, '', `<!doctype html>${e}`, s.finalEol ? e : '', 'n');
}

/** An element's own text as it would sit at `indent` (first line unindented). */
function variantText(root: Node, s: Style, indent: string, salt: string): string {
  return render(root, s, indent, '', '', salt).text.slice(indent.length);
}

/** The element text moved inside a variant div: every line that starts with `from` gets `to` instead. */
function moved(text: string, from: string, to: string): string {
  const lines = text.split('\n');
  return [
    lines[0],
    ...lines
      .slice(1)
      .map((l) => (l.replace(/\r$/, '') !== '' && l.startsWith(from) ? to + l.slice(from.length) : l)),
  ].join('\n');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentOf(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))?.[0] ?? '';
}

/** What the document should be after accepting `v` (no style, no knobs). */
function expectedAccept(
  doc: string,
  target: { start: number; end: number },
  mode: 'replace' | 'insert',
  position: 'before' | 'after',
  v: string,
  eol: string,
): string {
  if (mode === 'replace') return doc.slice(0, target.start) + v + doc.slice(target.end);
  const I = indentOf(doc, target.start);
  if (position === 'before') {
    const at = lineStart(doc, target.start);
    return doc.slice(0, at) + I + v + eol + doc.slice(at);
  }
  let le = doc.indexOf('\n', target.end);
  if (le === -1) return doc + eol + I + v;
  le += 1;
  return doc.slice(0, le) + I + v + eol + doc.slice(le);
}

type CaseValue = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const caseArb = fc.record({
  root: tree.el,
  style: styleArb,
  pick: fc.nat(),
  mode: fc.constantFrom('replace' as const, 'insert' as const),
  position: fc.constantFrom('before' as const, 'after' as const),
  variants: fc.array(tree.el, { minLength: 1, maxLength: 3 }),
  accept: fc.nat(),
  styleBlock: fc.boolean(),
});

function runCase(c: CaseValue, jsx: boolean): void {
  const style: Style = { ...c.style, jsx };
  const root = { ...(c.root as Extract<Node, { kind: 'el' }>), withId: true, block: true };
  const { text: doc, targets } = documentOf(root, style);
  const target = targets[c.pick % targets.length];
  const path = jsx ? 'Page.tsx' : 'index.html';
  const sessionId = 'abcd1234';
  const wrap = wrapElement(doc, {
    path,
    sessionId,
    count: c.variants.length,
    element: { id: target.id },
    mode: c.mode,
    position: c.position,
  });
  expect(wrap.status).toBe('applied');
  const wrapped = applyEdit(doc, wrap.edit as NonNullable<typeof wrap.edit>);

  // The agent's edit: variant divs (and sometimes a style block) inserted before variantsLine.
  const I = indentOf(doc, target.start);
  const vi = wrap.variantIndent;
  const unit = vi.slice(I.length);
  const texts = c.variants.map((v, k) => variantText(v, style, I, `v${k}x`));
  const hidden = jsx ? ' style={{ display: "none" }}' : ' style="display: none"';
  const chunks: string[] = [];
  if (c.styleBlock) {
    chunks.push(
      jsx
        ? `${vi}<style data-impeccable-css="${sessionId}">{\`${style.eol}${vi}${unit}.x { color: red; }${style.eol}${vi}\`}</style>`
        : `${vi}<style data-impeccable-css="${sessionId}">${style.eol}${vi}${unit}.x { color: red; }${style.eol}${vi}</style>`,
    );
  }
  texts.forEach((t, k) => {
    chunks.push(
      `${vi}<div data-impeccable-variant="${k + 1}"${k === 0 ? '' : hidden}>${style.eol}${vi}${unit}${moved(t, I, vi + unit)}${style.eol}${vi}</div>`,
    );
  });
  const agentText = chunks.join(style.eol) + style.eol;
  const withVariants = wrapped.slice(0, wrap.variantsOffset) + agentText + wrapped.slice(wrap.variantsOffset);
  const block = scanText(withVariants, { path }).blocks.find((b) => b.sessionId === sessionId);
  expect(block?.foundCount).toBe(c.variants.length);
  expect(scanText(withVariants, { path }).problems.filter((p) => p.severity === 'error')).toEqual([]);

  const discard = discardVariants(withVariants, { sessionId, path });
  expect(discard.status).toBe('applied');
  if (discard.status === 'applied') expect(applyEdit(withVariants, discard.edit)).toBe(doc);

  const n = (c.accept % c.variants.length) + 1;
  const accepted = acceptVariant(withVariants, { sessionId, path, variant: n });
  expect(accepted.status).toBe('applied');
  if (accepted.status !== 'applied') return;
  const after = applyEdit(withVariants, accepted.edit);
  expect(accepted.carbonize).toBe(c.styleBlock);
  if (!c.styleBlock) {
    expect(after).toBe(expectedAccept(doc, target, c.mode, c.position, texts[n - 1], style.eol));
    const again = acceptVariant(after, {
      sessionId,
      path,
      variant: n,
      recorded: { outcome: 'accepted', variant: n },
    });
    expect(again.status).toBe('alreadyApplied');
    expect(() => acceptVariant(after, { sessionId, path, variant: n })).toThrow(LiveVariantsError);
  } else {
    const carbon = scanText(after, { path }).carbonize.find((b) => b.sessionId === sessionId);
    expect(carbon?.accepted?.key).toBe(n);
    expect(acceptVariant(after, { sessionId, path, variant: n }).status).toBe('alreadyApplied');
  }
}

describe('wrap → variants → accept/discard round trip', () => {
  it('holds for generated HTML documents', () => {
    fc.assert(
      fc.property(caseArb, (c) => runCase(c, false)),
      { numRuns: 500 },
    );
  });

  it('holds for generated JSX documents', () => {
    fc.assert(
      fc.property(caseArb, (c) => runCase(c, true)),
      { numRuns: 500 },
    );
  });
});
