// Finding the `live-variants-start/end` comment pair that fences the script tag in an entry file. Both
// comment syntaxes are read wherever they appear (a file may have been instrumented by hand); what is written
// follows the file kind (see instrument.ts).
import { LiveVariantsError } from '../errors';
import type { Flavour } from '../markers/types';

export const START_WORD = 'live-variants-start';
export const END_WORD = 'live-variants-end';

const MARKER =
  /<!--[ \t]*live-variants-(start|end)[ \t]*-->|\{[ \t]*\/\*[ \t]*live-variants-(start|end)[ \t]*\*\/[ \t]*\}/g;

export interface MarkerToken {
  kind: 'start' | 'end';
  start: number;
  end: number;
}

/** The fenced region: from the start marker's first character to just past the end marker. */
export interface InstrumentationSpan {
  start: MarkerToken;
  end: MarkerToken;
  /** The text between the two markers. */
  inner: string;
  /** The `src` of the script tag between the markers, when there is one. */
  scriptUrl: string | undefined;
}

export function markerComment(flavour: Flavour, kind: 'start' | 'end'): string {
  const word = kind === 'start' ? START_WORD : END_WORD;
  return flavour === 'jsx' ? `{/* ${word} */}` : `<!-- ${word} -->`;
}

function tokens(text: string): MarkerToken[] {
  const out: MarkerToken[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    const kind = (m[1] ?? m[2]) as 'start' | 'end';
    out.push({ kind, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const SCRIPT_SRC = /<script\b[^>]*?\bsrc=(?:"([^"]*)"|'([^']*)'|\{\s*"([^"]*)"\s*\})/i;

/**
 * The instrumentation in `text`, undefined when there is none. A lone marker, a repeated pair or an end
 * before its start is refused: rewriting around a broken fence could delete the wrong lines.
 */
export function findInstrumentation(text: string, path = 'the file'): InstrumentationSpan | undefined {
  const found = tokens(text);
  if (found.length === 0) return undefined;
  const [first, second] = found;
  if (found.length !== 2 || first.kind !== 'start' || second.kind !== 'end') {
    const starts = found.filter((t) => t.kind === 'start').length;
    const ends = found.length - starts;
    throw new LiveVariantsError(
      'instrumentation_malformed',
      `${path} has ${starts} "${START_WORD}" and ${ends} "${END_WORD}" comment(s) in the wrong shape; ` +
        'expected exactly one start followed by one end. Fix the comments by hand, then run instrument again.',
      'file',
      { starts, ends },
    );
  }
  const inner = text.slice(first.end, second.start);
  const src = SCRIPT_SRC.exec(inner);
  return { start: first, end: second, inner, scriptUrl: src ? (src[1] ?? src[2] ?? src[3]) : undefined };
}
