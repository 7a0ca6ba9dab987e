// The carbonize form an accept leaves when cleanup is owed (a style block or knobs exist): the kept
// style, the chosen param values, and the accepted content in a `display: contents` variant div.
import { serialiseParamValues } from '../markers/markerComments';
import type { Flavour, Knob, ParamValue } from '../markers/types';
import { indentFirst } from './indent';
import { carbonizedVariantTag } from './paramValues';

export interface CarbonizeInput {
  flavour: Flavour;
  sessionId: string;
  variant: number;
  /** Indentation of the block's first line. */
  indent: string;
  unit: string;
  eol: string;
  /** Each kept style element, re-based so its first line sits at `indent` (+ unit in JSX). */
  styles: readonly string[];
  knobs: readonly Knob[];
  values: Readonly<Record<string, ParamValue>>;
  /** The accepted content, re-based one level below the variant div. */
  content: string;
}

export function carbonizeText(input: CarbonizeInput): string {
  const { flavour, sessionId: id, indent: I, unit: u, eol } = input;
  const jsx = flavour === 'jsx';
  const comment = (s: string) => (jsx ? `{/* ${s} */}` : `<!-- ${s} -->`);
  const B = jsx ? I + u : I;
  const body: string[] = [`${B}${comment(`impeccable-carbonize-start ${id}`)}`];
  for (const style of input.styles) body.push(B + style);
  if (input.knobs.length > 0)
    body.push(`${B}${comment(`impeccable-param-values ${id}: ${serialiseParamValues(input.values)}`)}`);
  body.push(`${B}${comment(`impeccable-carbonize-end ${id}`)}`);
  body.push(B + carbonizedVariantTag(flavour, input.variant, input.knobs, input.values));
  if (input.content !== '') body.push(indentFirst(input.content, B + u));
  body.push(`${B}</div>`);
  if (!jsx) {
    body[0] = body[0].slice(I.length);
    return body.join(eol);
  }
  return [
    `<div data-impeccable-carbonize="${id}" style={{ display: "contents" }}>`,
    ...body,
    `${I}</div>`,
  ].join(eol);
}
