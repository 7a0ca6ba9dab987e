// Events the browser preview sends (over the socket or the HTTP fallback). These schemas are the single source
// of truth: the TypeScript types below are inferred from them, and the session machine's journal records
// reuse the payload schemas.

import * as v from 'valibot';
import {
  boolean,
  dict,
  finiteNumber,
  integerIn,
  list,
  nonNegativeNumber,
  oneOf,
  pair,
  plainObject,
  text,
  token,
} from './fields';
import { browserSessionIdSchema, eventIdSchema, ownerIdSchema, variantIdSchema } from './ids';
import { LIMITS } from './limits';

const TAG = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const STYLE_NAME = /^-{0,2}[A-Za-z][A-Za-z0-9-]{0,63}$/;
const PARAM_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export const paramValueSchema = v.union(
  [finiteNumber(), text(LIMITS.paramString), boolean()],
  `must be a finite number, a string of at most ${LIMITS.paramString} characters, or true/false`,
);

/** Knob values keyed by parameter id (`--p-<id>` / `data-p-<id>`). */
export const paramsSchema = dict(
  token(LIMITS.paramKey, PARAM_KEY, 'a parameter id of letters, digits, "_" or "-"'),
  paramValueSchema,
  LIMITS.params,
);

export const boxSchema = plainObject({
  x: finiteNumber(),
  y: finiteNumber(),
  width: nonNegativeNumber(),
  height: nonNegativeNumber(),
});

export const elementSchema = plainObject({
  tag: token(LIMITS.tag, TAG, 'an element tag name'),
  id: v.optional(text(LIMITS.elementId)),
  classes: list(text(LIMITS.className), LIMITS.classes),
  text: v.optional(text(LIMITS.elementText)),
  outerHTML: v.optional(text(LIMITS.outerHTML)),
  styles: v.optional(
    dict(token(LIMITS.styleName, STYLE_NAME, 'a CSS property name'), text(LIMITS.styleValue), LIMITS.styles),
  ),
  box: v.optional(boxSchema),
  pagePath: v.optional(text(LIMITS.pagePath)),
  pageUrl: v.optional(text(LIMITS.pageUrl)),
});

export const annotationsSchema = plainObject({
  pins: v.optional(
    list(plainObject({ x: finiteNumber(), y: finiteNumber(), text: text(LIMITS.pinText) }), LIMITS.pins),
  ),
  strokes: v.optional(
    list(plainObject({ points: list(pair(finiteNumber()), LIMITS.strokePoints) }), LIMITS.strokes),
  ),
});

/** What a generate asks for; shared with the `browser.generate` journal record. */
export const generateEntries = {
  mode: oneOf(['replace', 'insert']),
  position: v.optional(oneOf(['before', 'after'])),
  count: integerIn(1, LIMITS.countMax),
  action: v.optional(text(LIMITS.action)),
  prompt: v.optional(text(LIMITS.prompt), ''),
  element: elementSchema,
  fileHint: v.optional(text(LIMITS.fileHint)),
  annotations: v.optional(annotationsSchema),
  owner: v.optional(ownerIdSchema),
};

interface PositionFields {
  mode: string;
  position?: string;
}

// `position` says where an insert goes, so it is required in insert mode and not allowed otherwise.
const positionRequired = (g: PositionFields) => g.mode !== 'insert' || g.position !== undefined;
const positionAllowed = (g: PositionFields) => g.mode === 'insert' || g.position === undefined;
const POSITION_REQUIRED = 'is required when mode is "insert"';
const POSITION_ALLOWED = 'is only allowed when mode is "insert"';

/** The `browser.generate` journal record's data: a generate event without its envelope. */
export const generateDataSchema = v.pipe(
  plainObject(generateEntries),
  v.forward(
    v.check((g) => positionRequired(g), POSITION_REQUIRED),
    ['position'],
  ),
  v.forward(
    v.check((g) => positionAllowed(g), POSITION_ALLOWED),
    ['position'],
  ),
);

export const checkpointEntries = {
  owner: ownerIdSchema,
  revision: integerIn(0, Number.MAX_SAFE_INTEGER),
  variant: variantIdSchema,
  params: paramsSchema,
};

export const acceptEntries = {
  variant: variantIdSchema,
  params: v.optional(paramsSchema),
};

const envelope = { sessionId: browserSessionIdSchema, eventId: eventIdSchema };

export const generateEventSchema = v.pipe(
  plainObject({ type: v.literal('generate'), ...envelope, ...generateEntries }),
  v.forward(
    v.check((g) => positionRequired(g), POSITION_REQUIRED),
    ['position'],
  ),
  v.forward(
    v.check((g) => positionAllowed(g), POSITION_ALLOWED),
    ['position'],
  ),
);
export const checkpointEventSchema = plainObject({
  type: v.literal('checkpoint'),
  ...envelope,
  ...checkpointEntries,
});
export const acceptEventSchema = plainObject({ type: v.literal('accept'), ...envelope, ...acceptEntries });
export const discardEventSchema = plainObject({ type: v.literal('discard'), ...envelope });
export const exitEventSchema = plainObject({ type: v.literal('exit'), ...envelope });

export const browserEventSchemas = {
  generate: generateEventSchema,
  checkpoint: checkpointEventSchema,
  accept: acceptEventSchema,
  discard: discardEventSchema,
  exit: exitEventSchema,
} as const;

export type BrowserEventType = keyof typeof browserEventSchemas;
export const BROWSER_EVENT_TYPES = Object.keys(browserEventSchemas) as BrowserEventType[];

export type Params = v.InferOutput<typeof paramsSchema>;
export type ElementInfo = v.InferOutput<typeof elementSchema>;
export type Annotations = v.InferOutput<typeof annotationsSchema>;
export type GenerateEvent = v.InferOutput<typeof generateEventSchema>;
export type CheckpointEvent = v.InferOutput<typeof checkpointEventSchema>;
export type AcceptEvent = v.InferOutput<typeof acceptEventSchema>;
export type DiscardEvent = v.InferOutput<typeof discardEventSchema>;
export type ExitEvent = v.InferOutput<typeof exitEventSchema>;
export type BrowserEvent = GenerateEvent | CheckpointEvent | AcceptEvent | DiscardEvent | ExitEvent;
