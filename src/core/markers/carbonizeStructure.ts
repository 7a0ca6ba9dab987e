// The inside of one carbonize block (what an accept leaves when cleanup is owed): kept style blocks,
// the param-values comment, and the accepted variant div after the end marker. Every search stays
// between this block's start marker and the next marker in the file, so many blocks cost linear time.

import { attrString, findAttr } from './attributes';
import { enclosingOpener, type ProblemSink, variantKeyOf } from './blockStructure';
import { childNodes } from './children';
import type { LineIndex } from './lineIndex';
import { wholeLines } from './lineIndex';
import type { MarkerComment } from './markerComments';
import { findElementEnd, readCloseTag, readTag, skipSpaces } from './markupTokens';
import type { CarbonizeBlock, Language, ParamValuesComment, TextRange } from './types';

export function parseCarbonizeBlock(
  text: string,
  idx: LineIndex,
  language: Language,
  start: MarkerComment,
  end: MarkerComment,
  paramValues: readonly ParamValuesComment[],
  /** Where the next marker after `end` starts (or the text's length). */
  limit: number,
  problem: ProblemSink,
): CarbonizeBlock {
  const id = start.sessionId;
  const styles: TextRange[] = [];
  for (const node of childNodes(text, start.end, end.start, language)) {
    if (node.kind === 'element' && node.tag.name.toLowerCase() === 'style')
      styles.push(idx.range(node.start, node.end));
  }
  let values: ParamValuesComment | null = null;
  for (const pv of paramValues) {
    if (pv.sessionId === id && pv.range.start >= start.end && pv.range.end <= end.start) values = pv;
  }

  let accepted: CarbonizeBlock['accepted'] = null;
  const divPos = skipSpaces(text, end.end, limit);
  const div = readTag(text, divPos, limit);
  if (div !== null && div.name.toLowerCase() === 'div') {
    const key = variantKeyOf(attrString(findAttr(div, 'data-impeccable-variant')));
    const extent = key === null ? null : findElementEnd(text, div, language, limit);
    if (key !== null && extent !== null) {
      accepted = {
        key,
        range: idx.range(div.start, extent.end),
        openTag: idx.range(div.start, div.end),
        content: idx.range(div.end, extent.closeStart),
      };
    }
  }

  // JSX: everything sits in an outer div that closes right after the accepted variant.
  const outerTag = enclosingOpener(text, start.start, 'data-impeccable-carbonize');
  let outerEnd = -1;
  if (outerTag !== null) {
    const close = readCloseTag(text, skipSpaces(text, accepted?.range.end ?? end.end, limit), limit);
    if (close !== null && close.name === 'div') outerEnd = close.end;
    else
      problem(
        'wrapper_unclosed',
        'warning',
        id,
        outerTag.start,
        `the carbonize wrapper of session ${id} does not close after its content`,
      );
  }
  const rangeStart = outerEnd !== -1 && outerTag !== null ? outerTag.start : start.start;
  const rangeEnd = outerEnd !== -1 ? outerEnd : accepted !== null ? accepted.range.end : end.end;
  const lines = wholeLines(text, rangeStart, rangeEnd);
  return {
    sessionId: id,
    flavour: outerEnd !== -1 ? 'jsx' : 'html',
    range: idx.range(rangeStart, rangeEnd),
    lineRange: idx.range(lines.start, lines.end),
    startMarker: idx.range(start.start, start.end),
    endMarker: idx.range(end.start, end.end),
    outer: outerTag !== null && outerEnd !== -1 ? idx.range(outerTag.start, outerEnd) : null,
    styles,
    paramValues: values,
    accepted,
  };
}
