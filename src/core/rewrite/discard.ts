// Discard: put the original back exactly where the block was (byte for byte after a standard wrap),
// or, in insert mode, remove the block and the lines it added.
import { LiveVariantsError } from '../errors';
import { rebaseContent } from './indent';
import {
  blockIndent,
  fileLabel,
  locateSession,
  type RewriteResult,
  type SessionRewriteOptions,
} from './session';
import { replaceBlock } from './textEdit';

export function discardVariants(text: string, opts: SessionRewriteOptions): RewriteResult {
  const { block, carbonize } = locateSession(text, opts);
  const id = opts.sessionId;
  if (block === undefined) {
    if (carbonize !== undefined) {
      const kept = carbonize.accepted?.key;
      throw new LiveVariantsError(
        'conflicting_operation',
        `session ${id} was already accepted${kept === undefined ? '' : ` (variant ${kept})`}`,
        'sessionId',
      );
    }
    const rec = opts.recorded;
    if (rec?.outcome === 'discarded') return { status: 'alreadyApplied', carbonize: false };
    if (rec !== undefined) {
      throw new LiveVariantsError(
        'conflicting_operation',
        `session ${id} was already accepted (variant ${rec.variant})`,
        'sessionId',
      );
    }
    throw new LiveVariantsError(
      'session_not_found',
      `no markers of session ${id} in ${fileLabel(opts)}`,
      'sessionId',
    );
  }
  let restored = '';
  if (block.mode === 'replace') {
    const original = block.original;
    if (original === null) {
      throw new LiveVariantsError(
        'malformed_markers',
        `session ${id} has no original variant to restore`,
        'sessionId',
        {
          problems: [
            {
              code: 'original_missing',
              severity: 'error',
              sessionId: id,
              line: block.range.startLine,
              offset: block.range.start,
              message: `session ${id} has no original variant to restore`,
            },
          ],
        },
      );
    }
    const { indent } = blockIndent(text, block.range.start, null);
    restored = rebaseContent(text.slice(original.content.start, original.content.end), indent);
  }
  return {
    status: 'applied',
    edit: replaceBlock(text, block.range.start, block.range.end, restored),
    carbonize: false,
    paramValues: null,
    blockLines: [block.range.startLine, block.range.endLine],
  };
}
