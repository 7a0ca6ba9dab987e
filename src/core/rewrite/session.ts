// What accept and discard share: argument checks, the refusals (generated file, malformed markers),
// and finding the session's block in the current text.
import { LiveVariantsError } from '../errors';
import type { ExtraExtensions } from '../markers/language';
import { indentAt, lineStartOf } from '../markers/lineIndex';
import { isValidSessionId } from '../markers/markerComments';
import { problemsForSession, scanText } from '../markers/scan';
import type { CarbonizeBlock, Language, ParamValue, ScanResult, VariantBlock } from '../markers/types';
import { detectIndentUnit } from './indent';
import type { TextEdit } from './textEdit';

/** What the journal says already happened to this session's source, for repeats that left no markers. */
export type RecordedOutcome = { outcome: 'accepted'; variant: number | string } | { outcome: 'discarded' };

export interface SessionRewriteOptions {
  sessionId: string;
  /** Decides the language when `language` is not given; named in messages. */
  path?: string;
  language?: Language;
  extraExts?: ExtraExtensions;
  /** The caller's verdict that git ignores the file. */
  generated?: boolean;
  recorded?: RecordedOutcome;
}

export type RewriteResult =
  | {
      status: 'applied';
      edit: TextEdit;
      /** The carbonize form was written: cleanup is owed. */
      carbonize: boolean;
      /** Values written into the param-values comment (accept with knobs), else null. */
      paramValues: Record<string, ParamValue> | null;
      /** 1-based, inclusive: the block that was replaced, in the text before the edit. */
      blockLines: [number, number];
    }
  | { status: 'alreadyApplied'; carbonize: boolean };

export interface LocatedSession {
  scan: ScanResult;
  block: VariantBlock | undefined;
  carbonize: CarbonizeBlock | undefined;
}

export function fileLabel(opts: SessionRewriteOptions): string {
  return opts.path ?? 'the file';
}

/** Scans and refuses generated files and malformed markers of this session. */
export function locateSession(text: string, opts: SessionRewriteOptions): LocatedSession {
  if (typeof opts.sessionId !== 'string' || !isValidSessionId(opts.sessionId)) {
    throw new LiveVariantsError(
      'invalid_input',
      'sessionId must be 1–64 letters, digits, "_" or "-"',
      'sessionId',
    );
  }
  if (typeof text !== 'string') throw new LiveVariantsError('invalid_input', 'text must be a string', 'text');
  const id = opts.sessionId;
  const scan = scanText(text, {
    path: opts.path,
    language: opts.language,
    extraExts: opts.extraExts,
    generated: opts.generated,
  });
  const block = scan.blocks.find((b) => b.sessionId === id);
  const carbonize = scan.carbonize.find((c) => c.sessionId === id);
  if (scan.generated && (block !== undefined || carbonize !== undefined)) {
    throw new LiveVariantsError(
      'persist_fallback_to_true_source',
      `${fileLabel(opts)} is generated (${scan.generatedReason}); persist the result of session ${id} in the true source`,
      'path',
      { file: opts.path ?? null, reason: scan.generatedReason },
    );
  }
  const errors = problemsForSession(scan, id, block?.range ?? carbonize?.range).filter(
    (p) => p.severity === 'error',
  );
  if (errors.length > 0) {
    throw new LiveVariantsError(
      'malformed_markers',
      `markers of session ${id} in ${fileLabel(opts)} are malformed: ${errors[0].message}`,
      'sessionId',
      {
        problems: errors,
      },
    );
  }
  return { scan, block, carbonize };
}

/** Indentation of the line a block starts on, and the indentation unit inside it. */
export function blockIndent(
  text: string,
  start: number,
  probe: number | null,
): { indent: string; unit: string } {
  const indent = indentAt(text, lineStartOf(text, start));
  if (probe !== null) {
    const inner = indentAt(text, lineStartOf(text, probe));
    if (
      inner.length > indent.length &&
      inner.startsWith(indent) &&
      lineStartOf(text, probe) !== lineStartOf(text, start)
    ) {
      return { indent, unit: inner.slice(indent.length) };
    }
  }
  return { indent, unit: detectIndentUnit(text) };
}

export function sameVariant(a: number | string, b: number | string): boolean {
  return String(a).trim() === String(b).trim();
}
