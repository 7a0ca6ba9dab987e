// The inside of one paired variant block: wrapper, original, variants, style blocks, knobs, and where
// new variants go. Reads both layouts (markers around the wrapper, or inside it as JSX needs).

import { attrString, findAttr } from './attributes';
import { childNodes } from './children';
import { parseKnobs } from './knobs';
import { afterLineBreak, isBlank, type LineIndex, lineEndOf, wholeLines } from './lineIndex';
import type { MarkerComment } from './markerComments';
import {
  findElementEnd,
  MAX_TAG_LENGTH,
  readCloseTag,
  readTag,
  skipSpaces,
  type TagToken,
} from './markupTokens';
import type {
  Flavour,
  Knob,
  Language,
  MarkerProblem,
  ProblemCode,
  VariantBlock,
  VariantDiv,
  VariantKey,
} from './types';

export type ProblemSink = (
  code: ProblemCode,
  severity: 'error' | 'warning',
  sessionId: string | null,
  offset: number,
  message: string,
) => void;

export function makeProblemSink(idx: LineIndex, out: MarkerProblem[]): ProblemSink {
  return (code, severity, sessionId, offset, message) =>
    out.push({ code, severity, sessionId, line: idx.lineAt(offset), offset, message });
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

const HIDDEN = /display\s*:\s*["']?none/i;

export function isHiddenStyle(tag: TagToken): boolean {
  const style = findAttr(tag, 'style');
  return style !== undefined && style.raw !== null && HIDDEN.test(style.raw);
}

/** `original` or a positive integer from a `data-impeccable-variant` value, else null. */
export function variantKeyOf(value: string | null): VariantKey | null {
  if (value === 'original') return value;
  if (value !== null && /^[0-9]{1,4}$/.test(value)) {
    const n = Number(value);
    return n >= 1 ? n : null;
  }
  return null;
}

/**
 * The `<div …>` whose `>` ends right before `pos` (whitespace between allowed) and that carries
 * `attrName`; used for the JSX layout, where markers sit inside their wrapper.
 */
export function enclosingOpener(text: string, pos: number, attrName: string): TagToken | null {
  let gt = pos;
  while (gt > 0 && isSpaceCode(text.charCodeAt(gt - 1))) gt--;
  if (text.charCodeAt(gt - 1) !== 62) return null;
  let from = gt - 1;
  // A few tries: an attribute value may itself contain `<div`.
  for (let tries = 0; tries < 4; tries++) {
    const lt = text.lastIndexOf('<div', from);
    // No tag is longer than readTag accepts, so a farther `<div` cannot be the opener.
    if (lt === -1 || gt - lt > MAX_TAG_LENGTH) return null;
    const tag = readTag(text, lt, gt);
    if (tag !== null && tag.end === gt && findAttr(tag, attrName) !== undefined) return tag;
    from = lt - 1;
    if (from < 0) return null;
  }
  return null;
}

/** Offset after the line holding `end` when the rest of that line is blank, else `end`. */
export function afterLine(text: string, end: number, limit: number): number {
  const lineEnd = lineEndOf(text, end);
  if (!isBlank(text, end, lineEnd)) return end;
  const after = afterLineBreak(text, lineEnd);
  return after > limit ? end : after;
}

function readVariantDiv(
  idx: LineIndex,
  tag: TagToken,
  key: VariantKey,
  closeStart: number,
  end: number,
  sessionId: string,
  problem: ProblemSink,
): VariantDiv {
  let knobs: Knob[] = [];
  const params = findAttr(tag, 'data-impeccable-params');
  if (params !== undefined) {
    const json = attrString(params);
    if (json === null) {
      problem(
        'invalid_params',
        'warning',
        sessionId,
        tag.start,
        `variant ${key}: data-impeccable-params is not a literal string`,
      );
    } else {
      const parsed = parseKnobs(json);
      knobs = parsed.knobs;
      for (const e of parsed.errors)
        problem('invalid_params', 'warning', sessionId, tag.start, `variant ${key}: ${e}`);
    }
  }
  return {
    key,
    range: idx.range(tag.start, end),
    openTag: idx.range(tag.start, tag.end),
    content: idx.range(tag.end, closeStart),
    hidden: isHiddenStyle(tag),
    knobs,
  };
}

interface Layout {
  flavour: Flavour;
  wrapper: TagToken | null;
  wrapperEnd: number;
  rangeStart: number;
  rangeEnd: number;
  childrenFrom: number;
  childrenTo: number;
}

function findLayout(
  text: string,
  language: Language,
  start: MarkerComment,
  end: MarkerComment,
  problem: ProblemSink,
): Layout | null {
  const id = start.sessionId;
  // HTML layout: the wrapper is the first thing after the start marker.
  const first = skipSpaces(text, start.end, end.start);
  const outer = readTag(text, first, end.start);
  if (outer !== null && outer.name.toLowerCase() === 'div' && findAttr(outer, 'data-impeccable-variants')) {
    const extent = findElementEnd(text, outer, language, end.start);
    if (extent === null) {
      problem(
        'wrapper_unclosed',
        'error',
        id,
        outer.start,
        `the wrapper of session ${id} is not closed before its end marker`,
      );
      return null;
    }
    if (!isBlank(text, extent.end, end.start)) {
      problem(
        'unexpected_content',
        'warning',
        id,
        extent.end,
        `content between the wrapper of ${id} and its end marker is dropped by accept/discard`,
      );
    }
    return {
      flavour: 'html',
      wrapper: outer,
      wrapperEnd: extent.end,
      rangeStart: start.start,
      rangeEnd: end.end,
      childrenFrom: outer.end,
      childrenTo: extent.closeStart,
    };
  }
  // JSX layout: the markers are the wrapper's first and last children.
  const opener = enclosingOpener(text, start.start, 'data-impeccable-variants');
  if (opener !== null) {
    const closePos = skipSpaces(text, end.end, text.length);
    const close = readCloseTag(text, closePos);
    if (close === null || close.name !== 'div') {
      problem(
        'wrapper_unclosed',
        'error',
        id,
        end.start,
        `the wrapper of session ${id} does not close right after its end marker`,
      );
      return null;
    }
    return {
      flavour: 'jsx',
      wrapper: opener,
      wrapperEnd: close.end,
      rangeStart: opener.start,
      rangeEnd: close.end,
      childrenFrom: start.end,
      childrenTo: end.start,
    };
  }
  problem(
    'wrapper_missing',
    'warning',
    id,
    start.start,
    `session ${id} has markers but no data-impeccable-variants wrapper`,
  );
  return {
    flavour: start.syntax,
    wrapper: null,
    wrapperEnd: -1,
    rangeStart: start.start,
    rangeEnd: end.end,
    childrenFrom: start.end,
    childrenTo: end.start,
  };
}

/** Reads one block between its paired markers; null when its structure cannot be trusted (problem recorded). */
export function parseVariantBlock(
  text: string,
  idx: LineIndex,
  language: Language,
  start: MarkerComment,
  end: MarkerComment,
  problem: ProblemSink,
): VariantBlock | null {
  const id = start.sessionId;
  const layout = findLayout(text, language, start, end, problem);
  if (layout === null) return null;
  const { wrapper } = layout;
  if (wrapper !== null) {
    const wid = attrString(findAttr(wrapper, 'data-impeccable-variants'));
    if (wid !== id)
      problem(
        'wrapper_missing',
        'warning',
        id,
        wrapper.start,
        `the wrapper inside session ${id}'s markers says ${JSON.stringify(wid)}`,
      );
  }
  const countText = wrapper === null ? null : attrString(findAttr(wrapper, 'data-impeccable-variant-count'));
  const declaredCount =
    countText !== null && /^[0-9]{1,4}$/.test(countText.trim()) ? Number(countText.trim()) : null;
  const mode =
    wrapper !== null && attrString(findAttr(wrapper, 'data-impeccable-mode')) === 'insert'
      ? 'insert'
      : 'replace';

  let original: VariantDiv | null = null;
  const variants: VariantDiv[] = [];
  const styles = [];
  let insertBelow = -1;
  let lastChildEnd = -1;
  let broken = false;
  for (const node of childNodes(text, layout.childrenFrom, layout.childrenTo, language)) {
    if (node.kind === 'comment') {
      if (/insert below this line/i.test(text.slice(node.start, node.end))) insertBelow = node.end;
      continue;
    }
    if (node.kind === 'other') {
      problem(
        'unexpected_content',
        'warning',
        id,
        node.start,
        `unexpected content inside session ${id}'s wrapper is dropped by accept/discard`,
      );
      continue;
    }
    if (node.extent === null) {
      problem(
        'variant_unclosed',
        'error',
        id,
        node.start,
        `<${node.tag.name}> inside session ${id} is not closed before the block ends`,
      );
      broken = true;
      break;
    }
    const name = node.tag.name.toLowerCase();
    if (name === 'style') {
      styles.push(idx.range(node.start, node.end));
      lastChildEnd = node.end;
      continue;
    }
    const variantAttr = name === 'div' ? findAttr(node.tag, 'data-impeccable-variant') : undefined;
    const key = variantAttr === undefined ? null : variantKeyOf(attrString(variantAttr));
    if (key === null) {
      problem(
        'unexpected_content',
        'warning',
        id,
        node.start,
        `<${node.tag.name}> inside session ${id}'s wrapper is not a variant and is dropped by accept/discard`,
      );
      continue;
    }
    const div = readVariantDiv(idx, node.tag, key, node.extent.closeStart, node.end, id, problem);
    if ((key === 'original' && original !== null) || variants.some((v) => v.key === key)) {
      problem('duplicate_variant', 'error', id, node.start, `session ${id} has two variant divs for ${key}`);
      broken = true;
      continue;
    }
    if (key === 'original') original = div;
    else variants.push(div);
    lastChildEnd = node.end;
  }
  if (broken) return null;

  const foundCount = variants.length;
  if (declaredCount !== null && foundCount > 0 && foundCount !== declaredCount) {
    problem(
      'count_mismatch',
      'warning',
      id,
      start.start,
      `session ${id} declares ${declaredCount} variants and has ${foundCount}`,
    );
  }
  if (mode === 'replace' && original === null) {
    problem(
      'original_missing',
      'warning',
      id,
      start.start,
      `session ${id} has no original variant, so discard cannot restore it`,
    );
  }
  const firstVisible = variants.find((v) => !v.hidden);
  const visible: VariantKey | null = firstVisible
    ? firstVisible.key
    : original && !original.hidden
      ? 'original'
      : null;
  // New variants go after the "insert below this line" comment, or after whatever was written last.
  const from = Math.max(insertBelow, lastChildEnd, layout.childrenFrom);
  const variantsOffset = Math.min(afterLine(text, from, layout.childrenTo), layout.childrenTo);
  const lines = wholeLines(text, layout.rangeStart, layout.rangeEnd);
  return {
    sessionId: id,
    flavour: layout.flavour,
    mode,
    range: idx.range(layout.rangeStart, layout.rangeEnd),
    lineRange: idx.range(lines.start, lines.end),
    startMarker: idx.range(start.start, start.end),
    endMarker: idx.range(end.start, end.end),
    wrapper:
      wrapper === null
        ? null
        : {
            range: idx.range(wrapper.start, layout.wrapperEnd),
            openTag: idx.range(wrapper.start, wrapper.end),
          },
    declaredCount,
    foundCount,
    original,
    variants,
    visible,
    styles,
    variantsOffset,
    variantsLine: idx.lineAt(variantsOffset),
  };
}
