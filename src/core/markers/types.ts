// The data a marker scan produces. Offsets are UTF-16 indexes into the scanned string (what VS Code's
// `document.positionAt` takes); lines are 1-based, as people and agents read them.

/** Comment syntax and block layout: `html` puts the markers around the wrapper, `jsx` inside it. */
export type Flavour = 'html' | 'jsx';

export interface Language {
  /** Lower-case extension with its dot, e.g. `.tsx`. */
  ext: string;
  flavour: Flavour;
  /** Whether `{…}` in markup text is an expression (JSX, Svelte, Astro) rather than plain text. */
  braceExpressions: boolean;
}

export interface TextRange {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  startLine: number;
  endLine: number;
}

/** `original`, or the 1-based number of a variant. */
export type VariantKey = 'original' | number;

export type ParamValue = number | string | boolean;

export interface RangeKnob {
  id: string;
  kind: 'range';
  label?: string;
  min: number;
  max: number;
  step?: number;
  default: number;
  /** Appended to the value when it is written as `--p-<id>` (our extension; Impeccable knobs have none). */
  unit?: string;
}

export interface StepsKnob {
  id: string;
  kind: 'steps';
  label?: string;
  options: { value: string; label: string }[];
  default: string;
}

export interface ToggleKnob {
  id: string;
  kind: 'toggle';
  label?: string;
  default: boolean;
}

export type Knob = RangeKnob | StepsKnob | ToggleKnob;

export interface VariantDiv {
  key: VariantKey;
  /** The whole `<div data-impeccable-variant="…">…</div>`. */
  range: TextRange;
  openTag: TextRange;
  /** Between the opening tag and its `</div>`. */
  content: TextRange;
  /** Its style attribute says `display: none`. */
  hidden: boolean;
  knobs: Knob[];
}

export interface VariantBlock {
  sessionId: string;
  /** Layout found in the text (not guessed from the extension). */
  flavour: Flavour;
  mode: 'replace' | 'insert';
  /** From the first structural token to the last (markers and wrapper), exactly. */
  range: TextRange;
  /** `range` widened to whole lines, including the line break after the last line. */
  lineRange: TextRange;
  startMarker: TextRange;
  endMarker: TextRange;
  /** The `data-impeccable-variants` wrapper; null when the agent wrote markers without one. */
  wrapper: { range: TextRange; openTag: TextRange } | null;
  declaredCount: number | null;
  /** Numbered variants present (the original is not counted). */
  foundCount: number;
  original: VariantDiv | null;
  variants: VariantDiv[];
  /** First numbered variant not hidden; else `original` when it is not hidden; else null. */
  visible: VariantKey | null;
  /** `<style data-impeccable-css>` elements among the wrapper's children, in order. */
  styles: TextRange[];
  /** Where new variant markup goes: after the "insert below" comment, else after the last child. */
  variantsOffset: number;
  /** 1-based line that new variant lines are inserted before. */
  variantsLine: number;
}

export interface ParamValuesComment {
  sessionId: string;
  range: TextRange;
  /** Null when the JSON did not parse to an object of numbers, strings and booleans. */
  values: Record<string, ParamValue> | null;
  raw: string;
}

export interface CarbonizeBlock {
  sessionId: string;
  flavour: Flavour;
  /** Markers, kept style, and the accepted variant div (JSX: the whole outer carbonize div). */
  range: TextRange;
  lineRange: TextRange;
  startMarker: TextRange;
  endMarker: TextRange;
  /** JSX only: `<div data-impeccable-carbonize="ID" …>`. */
  outer: TextRange | null;
  styles: TextRange[];
  paramValues: ParamValuesComment | null;
  accepted: { key: VariantKey; range: TextRange; openTag: TextRange; content: TextRange } | null;
}

export type ProblemCode =
  | 'start_without_end'
  | 'end_without_start'
  | 'nested_block'
  | 'duplicate_id'
  | 'count_mismatch'
  | 'markers_in_generated_file'
  | 'wrapper_missing'
  | 'wrapper_unclosed'
  | 'variant_unclosed'
  | 'duplicate_variant'
  | 'original_missing'
  | 'invalid_params'
  | 'invalid_param_values'
  | 'invalid_session_id'
  | 'unexpected_content';

export interface MarkerProblem {
  code: ProblemCode;
  /** `error` problems make rewrites of that session refuse; `warning` ones are reported only. */
  severity: 'error' | 'warning';
  sessionId: string | null;
  line: number;
  offset: number;
  message: string;
}

export interface ScanResult {
  language: Language;
  generated: boolean;
  /** Why the file counts as generated (`git ignores it`, `header says "@generated"`), or null. */
  generatedReason: string | null;
  blocks: VariantBlock[];
  carbonize: CarbonizeBlock[];
  paramValues: ParamValuesComment[];
  problems: MarkerProblem[];
}
