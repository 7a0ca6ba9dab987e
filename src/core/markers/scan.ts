// scanText: every variant block, carbonize block and param-values comment in one file's text, with
// exact ranges and the problems that make a rewrite unsafe. A pure function of the text (cache it by
// document version in callers); files without `impeccable-` return after one `includes`.
import { makeProblemSink, type ProblemSink, parseVariantBlock } from './blockStructure';
import { parseCarbonizeBlock } from './carbonizeStructure';
import { generatedVerdict } from './generated';
import {
  DEFAULT_LANGUAGE,
  type ExtraExtensions,
  extensionOf,
  languageForExt,
  languageForPath,
} from './language';
import { LineIndex } from './lineIndex';
import { findMarkerComments, type MarkerComment, type MarkerKind, parseParamValues } from './markerComments';
import type {
  CarbonizeBlock,
  Language,
  MarkerProblem,
  ParamValuesComment,
  ScanResult,
  VariantBlock,
} from './types';

export interface ScanOptions {
  /** Used for the language when `language` is not given. */
  path?: string;
  language?: Language;
  extraExts?: ExtraExtensions;
  /** The caller's verdict that git ignores the file (the header test is done here). */
  generated?: boolean;
}

/** The language for a scan: explicit, else by extension, else JSX for `*x` extensions, else HTML-like. */
export function resolveLanguage(options: ScanOptions): Language {
  if (options.language !== undefined) return options.language;
  if (options.path === undefined) return DEFAULT_LANGUAGE;
  const known = languageForPath(options.path, options.extraExts);
  if (known !== null) return known;
  const ext = extensionOf(options.path);
  return ext === '' ? DEFAULT_LANGUAGE : languageForExt(ext, ext.endsWith('x') ? 'jsx' : 'html');
}

/**
 * Pairs start and end markers of one kind in document order. Nesting, repeated ids and unmatched
 * markers are errors for every session involved; pairs are returned even then so callers can show them.
 */
function pairMarkers(
  markers: readonly MarkerComment[],
  startKind: MarkerKind,
  endKind: MarkerKind,
  label: string,
  problem: ProblemSink,
): [MarkerComment, MarkerComment][] {
  const stack: MarkerComment[] = [];
  // Where each session id sits in the stack, so an end marker finds its start without a search.
  const positions = new Map<string, number[]>();
  const flaggedParents = new Set<MarkerComment>();
  const started = new Set<string>();
  const pairs: [MarkerComment, MarkerComment][] = [];
  const unwindTo = (k: number) => {
    while (stack.length > k) positions.get((stack.pop() as MarkerComment).sessionId)?.pop();
  };
  for (const m of markers) {
    const id = m.sessionId;
    if (m.kind === startKind) {
      if (started.has(id)) {
        problem(
          'duplicate_id',
          'error',
          id,
          m.start,
          `${label} markers for session ${id} appear more than once`,
        );
      }
      started.add(id);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) {
        // Only the innermost enclosing block is named: deeper ancestors were flagged when the parent started.
        problem(
          'nested_block',
          'error',
          id,
          m.start,
          `${label} block ${id} starts inside block ${parent.sessionId}`,
        );
        if (!flaggedParents.has(parent)) {
          flaggedParents.add(parent);
          problem(
            'nested_block',
            'error',
            parent.sessionId,
            m.start,
            `${label} block ${parent.sessionId} contains block ${id}`,
          );
        }
      }
      const list = positions.get(id);
      if (list === undefined) positions.set(id, [stack.length]);
      else list.push(stack.length);
      stack.push(m);
    } else if (m.kind === endKind) {
      const list = positions.get(id);
      const k = list !== undefined && list.length > 0 ? list[list.length - 1] : -1;
      if (k === -1) {
        problem(
          'end_without_start',
          'error',
          id,
          m.start,
          `${label} end marker for session ${id} has no start marker before it`,
        );
        continue;
      }
      for (let j = k + 1; j < stack.length; j++) {
        const open = stack[j];
        problem(
          'start_without_end',
          'error',
          open.sessionId,
          open.start,
          `${label} start marker for session ${open.sessionId} has no end marker`,
        );
      }
      pairs.push([stack[k], m]);
      unwindTo(k);
    }
  }
  for (const open of stack) {
    problem(
      'start_without_end',
      'error',
      open.sessionId,
      open.start,
      `${label} start marker for session ${open.sessionId} has no end marker`,
    );
  }
  return pairs;
}

/** Start markers of pairs that hold another pair. */
function containingPairs(pairs: readonly [MarkerComment, MarkerComment][]): Set<MarkerComment> {
  const sorted = [...pairs].sort((a, b) => a[0].start - b[0].start);
  const out = new Set<MarkerComment>();
  for (let i = 0; i + 1 < sorted.length; i++) {
    if (sorted[i + 1][0].start < sorted[i][1].end) out.add(sorted[i][0]);
  }
  return out;
}

function emptyResult(language: Language, generated: boolean, reason: string | null): ScanResult {
  return {
    language,
    generated,
    generatedReason: reason,
    blocks: [],
    carbonize: [],
    paramValues: [],
    problems: [],
  };
}

export function scanText(text: string, options: ScanOptions = {}): ScanResult {
  const language = resolveLanguage(options);
  const verdict = generatedVerdict(text, options.generated);
  if (!text.includes('impeccable-')) return emptyResult(language, verdict.generated, verdict.reason);

  const idx = new LineIndex(text);
  const problems: MarkerProblem[] = [];
  const problem = makeProblemSink(idx, problems);
  const { markers, invalid } = findMarkerComments(text);
  for (const bad of invalid) {
    problem(
      'invalid_session_id',
      'warning',
      null,
      bad.offset,
      `impeccable-${bad.kind} marker has an invalid session id ${JSON.stringify(bad.rawId)}`,
    );
  }

  const paramValues: ParamValuesComment[] = [];
  for (const m of markers) {
    if (m.kind !== 'param-values') continue;
    const values = parseParamValues(m.payload);
    if (values === null)
      problem(
        'invalid_param_values',
        'warning',
        m.sessionId,
        m.start,
        `param-values of session ${m.sessionId} is not a JSON object of numbers, strings and booleans`,
      );
    paramValues.push({ sessionId: m.sessionId, range: idx.range(m.start, m.end), values, raw: m.payload });
  }

  const variantPairs = pairMarkers(markers, 'variants-start', 'variants-end', 'variant', problem);
  const carbonizePairs = pairMarkers(markers, 'carbonize-start', 'carbonize-end', 'carbonize', problem);
  // A pair holding another is already an error (nested_block); reading its structure would re-read
  // everything inside it, so it is skipped.
  const containing = containingPairs([...variantPairs, ...carbonizePairs]);
  const blocks: VariantBlock[] = [];
  for (const [start, end] of variantPairs) {
    if (containing.has(start)) continue;
    const block = parseVariantBlock(text, idx, language, start, end, problem);
    if (block !== null) blocks.push(block);
  }
  const order = new Map(markers.map((m, i) => [m, i]));
  const carbonize: CarbonizeBlock[] = [];
  for (const [start, end] of carbonizePairs) {
    if (containing.has(start)) continue;
    const limit = markers[(order.get(end) ?? markers.length) + 1]?.start ?? text.length;
    carbonize.push(parseCarbonizeBlock(text, idx, language, start, end, paramValues, limit, problem));
  }

  if (verdict.generated) {
    const firstOffset = new Map<string, number>();
    for (const m of markers) if (!firstOffset.has(m.sessionId)) firstOffset.set(m.sessionId, m.start);
    for (const [id, offset] of firstOffset) {
      problem(
        'markers_in_generated_file',
        'error',
        id,
        offset,
        `session ${id} has markers in a generated file (${verdict.reason}); persist to the true source instead`,
      );
    }
  }
  problems.sort((a, b) => a.offset - b.offset);
  blocks.sort((a, b) => a.range.start - b.range.start);
  carbonize.sort((a, b) => a.range.start - b.range.start);
  return {
    language,
    generated: verdict.generated,
    generatedReason: verdict.reason,
    blocks,
    carbonize,
    paramValues,
    problems,
  };
}

/** Problems that concern one session (or no session in particular but fall inside its range). */
export function problemsForSession(
  scan: ScanResult,
  sessionId: string,
  range?: { start: number; end: number },
): MarkerProblem[] {
  return scan.problems.filter(
    (p) =>
      p.sessionId === sessionId ||
      (range !== undefined &&
        p.sessionId !== sessionId &&
        p.offset >= range.start &&
        p.offset < range.end &&
        p.severity === 'error'),
  );
}
