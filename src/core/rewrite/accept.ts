// Accept: keep variant N's content at the block's indentation and drop the rest. With a style block
// or knobs it leaves the carbonize form instead, so the cleanup knows what to fold into real CSS.
import { LiveVariantsError } from '../errors';
import type { VariantBlock } from '../markers/types';
import { carbonizeText } from './carbonizeForm';
import { detectEol, rebaseContent, rebaseElement } from './indent';
import { resolveParamValues } from './paramValues';
import {
  blockIndent,
  fileLabel,
  locateSession,
  type RewriteResult,
  type SessionRewriteOptions,
  sameVariant,
} from './session';
import { replaceBlock } from './textEdit';

export interface AcceptOptions extends SessionRewriteOptions {
  /** 1-based variant number (a numeric string is accepted). */
  variant: number | string;
  /** Knob id → value from the browser; knobs without a value keep their default. */
  params?: Record<string, unknown>;
}

function variantNumber(v: unknown): number {
  const n = typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
  if (v === 'original') {
    throw new LiveVariantsError(
      'variant_not_found',
      'accepting "original" keeps nothing new; discard the variants instead',
      'variant',
    );
  }
  throw new LiveVariantsError('invalid_input', 'variant must be a positive integer', 'variant');
}

function firstChildStart(block: VariantBlock): number | null {
  const starts = [block.original?.range.start, block.variants[0]?.range.start, block.styles[0]?.start].filter(
    (s): s is number => s !== undefined,
  );
  return starts.length === 0 ? null : Math.min(...starts);
}

export function acceptVariant(text: string, opts: AcceptOptions): RewriteResult {
  const variant = variantNumber(opts.variant);
  const { block, carbonize } = locateSession(text, opts);
  const id = opts.sessionId;
  if (block === undefined) {
    if (carbonize !== undefined) {
      const kept = carbonize.accepted?.key;
      if (kept !== undefined && !sameVariant(kept, variant)) {
        throw new LiveVariantsError(
          'conflicting_operation',
          `session ${id} already accepted variant ${kept}`,
          'variant',
          { accepted: kept },
        );
      }
      const recordedValues = carbonize.paramValues?.values ?? {};
      for (const [k, v] of Object.entries(opts.params ?? {})) {
        if (Object.hasOwn(recordedValues, k) && String(recordedValues[k]) !== String(v)) {
          throw new LiveVariantsError(
            'conflicting_operation',
            `session ${id} was accepted with ${k} = ${JSON.stringify(recordedValues[k])}`,
            `params.${k}`,
          );
        }
      }
      return { status: 'alreadyApplied', carbonize: true };
    }
    const rec = opts.recorded;
    if (rec?.outcome === 'accepted' && sameVariant(rec.variant, variant))
      return { status: 'alreadyApplied', carbonize: false };
    if (rec !== undefined) {
      const what = rec.outcome === 'accepted' ? `accepted variant ${rec.variant}` : 'discarded';
      throw new LiveVariantsError('conflicting_operation', `session ${id} was already ${what}`, 'variant');
    }
    throw new LiveVariantsError(
      'session_not_found',
      `no markers of session ${id} in ${fileLabel(opts)}`,
      'sessionId',
    );
  }
  const chosen = block.variants.find((v) => v.key === variant);
  if (chosen === undefined) {
    throw new LiveVariantsError('variant_not_found', `session ${id} has no variant ${variant}`, 'variant', {
      variants: block.variants.map((v) => v.key),
    });
  }
  const { indent, unit } = blockIndent(text, block.range.start, firstChildStart(block));
  const inner = text.slice(chosen.content.start, chosen.content.end);
  const needsCarbonize = block.styles.length > 0 || chosen.knobs.length > 0;
  if (!needsCarbonize) {
    const edit = replaceBlock(text, block.range.start, block.range.end, rebaseContent(inner, indent));
    return {
      status: 'applied',
      edit,
      carbonize: false,
      paramValues: null,
      blockLines: [block.range.startLine, block.range.endLine],
    };
  }
  const values = resolveParamValues(chosen.knobs, opts.params);
  const jsx = block.flavour === 'jsx';
  const styleIndent = jsx ? indent + unit : indent;
  const styles = block.styles.map((s) => {
    const lead = text.slice(text.lastIndexOf('\n', s.start - 1) + 1, s.start);
    return rebaseElement(text.slice(s.start, s.end), /^[ \t]*$/.test(lead) ? lead : '', styleIndent);
  });
  const contentIndent = styleIndent + unit;
  const newText = carbonizeText({
    flavour: block.flavour,
    sessionId: id,
    variant,
    indent,
    unit,
    eol: detectEol(text),
    styles,
    knobs: chosen.knobs,
    values,
    content: rebaseContent(inner, contentIndent),
  });
  return {
    status: 'applied',
    edit: replaceBlock(text, block.range.start, block.range.end, newText),
    carbonize: true,
    paramValues: chosen.knobs.length > 0 ? values : null,
    blockLines: [block.range.startLine, block.range.endLine],
  };
}
