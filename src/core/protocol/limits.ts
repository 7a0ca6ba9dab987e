// Every string, list and map on the wire has a cap, so a hostile or buggy page cannot make the bridge (or the
// journal, which stores events verbatim) hold unbounded data. The numbers are generous for real pages and are
// documented in docs/protocol.md; changing one is a protocol change.

export const LIMITS = {
  eventId: 128,
  ownerId: 64,
  action: 64,
  prompt: 4_000,
  fileHint: 1_024,
  tag: 64,
  elementId: 256,
  className: 256,
  classes: 64,
  elementText: 2_000,
  outerHTML: 20_000,
  styleName: 64,
  styleValue: 512,
  styles: 32,
  pagePath: 2_048,
  pageUrl: 2_048,
  pins: 32,
  pinText: 500,
  strokes: 32,
  strokePoints: 1_000,
  paramKey: 64,
  paramString: 256,
  params: 32,
  file: 1_024,
  errorMessage: 2_000,
  reason: 500,
  /** Largest variant id, and the largest variant count a source scan may report. */
  variantMax: 999,
  /** Largest number of variants one generate may ask for. */
  countMax: 8,
} as const;
