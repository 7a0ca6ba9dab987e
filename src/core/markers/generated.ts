// A generated file is never rewritten: the next build would wipe the change, so the accepted variant
// belongs in the true source. The header test is the text-only half; "git ignores it" comes from callers.

const HEADER_MARKERS = ['@generated', 'GENERATED FILE', 'AUTO-GENERATED', 'DO NOT EDIT'] as const;
const HEADER_BYTES = 300;

/** The first 300 bytes of `text` (as UTF-8), as a string. */
function headerOf(text: string): string {
  let head = text.slice(0, HEADER_BYTES);
  while (Buffer.byteLength(head, 'utf8') > HEADER_BYTES) head = head.slice(0, -1);
  return head;
}

/** The header marker found in the first 300 bytes (case-sensitive, as written by generators), or null. */
export function generatedHeaderMarker(text: string): string | null {
  const head = headerOf(text);
  for (const m of HEADER_MARKERS) if (head.includes(m)) return m;
  return null;
}

export interface GeneratedVerdict {
  generated: boolean;
  reason: string | null;
}

/** Combines the caller's git verdict with the header test. */
export function generatedVerdict(text: string, ignoredByGit: boolean | undefined): GeneratedVerdict {
  if (ignoredByGit === true) return { generated: true, reason: 'git ignores it' };
  const marker = generatedHeaderMarker(text);
  return marker === null
    ? { generated: false, reason: null }
    : { generated: true, reason: `its header says "${marker}"` };
}
