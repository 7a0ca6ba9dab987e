// Results an agent sends with `POST /v1/ack` for the work item it leased. The lease identifies the session
// and the item, so a result carries only what the agent has to say.

import * as v from 'valibot';
import { integerIn, plainObject, text } from './fields';
import { LIMITS } from './limits';

/** Fields of each result, shared with the `agent.*` journal records. */
export const doneEntries = {
  file: v.optional(text(LIMITS.file)),
  count: v.optional(integerIn(1, LIMITS.countMax)),
};
export const errorEntries = { message: text(LIMITS.errorMessage) };
export const retryEntries = { reason: v.optional(text(LIMITS.reason)) };

export const doneResultSchema = plainObject({ type: v.literal('done'), ...doneEntries });
export const errorResultSchema = plainObject({ type: v.literal('error'), ...errorEntries });
export const completeResultSchema = plainObject({ type: v.literal('complete') });
export const discardedResultSchema = plainObject({ type: v.literal('discarded') });
export const retryResultSchema = plainObject({ type: v.literal('retry'), ...retryEntries });

export const agentResultSchemas = {
  done: doneResultSchema,
  error: errorResultSchema,
  complete: completeResultSchema,
  discarded: discardedResultSchema,
  retry: retryResultSchema,
} as const;

export type AgentResultType = keyof typeof agentResultSchemas;
export const AGENT_RESULT_TYPES = Object.keys(agentResultSchemas) as AgentResultType[];

export type DoneResult = v.InferOutput<typeof doneResultSchema>;
export type ErrorResult = v.InferOutput<typeof errorResultSchema>;
export type CompleteResult = v.InferOutput<typeof completeResultSchema>;
export type DiscardedResult = v.InferOutput<typeof discardedResultSchema>;
export type RetryResult = v.InferOutput<typeof retryResultSchema>;
export type AgentResult = DoneResult | ErrorResult | CompleteResult | DiscardedResult | RetryResult;
