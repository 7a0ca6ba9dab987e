// `poll` and `ack`: the agent's side of the work queue (docs/bridge-routes.md, "Agent"). Both need a running
// bridge: leases live in its memory, so there is nothing to do offline.

import { LiveVariantsError } from '../../core/errors';
import { AGENT_RESULT_TYPES } from '../../core/protocol/agentResults';
import { WORK_KINDS } from '../../core/queue/types';
import { resolveCliAgent } from '../agentId';
import { integerFlag, jsonFlag, listFlag, stringFlag } from '../args';
import { BridgeClient, POLL_GRACE_MS } from '../client';
import type { Command } from '../command';
import { requireEndpoint, resolveConnection, withConnectionFlags } from '../connection';
import { EXIT, printJson } from '../output';
import { workspaceFile } from '../paths';

export const DEFAULT_POLL_TIMEOUT_MS = 25_000;
export const MAX_POLL_TIMEOUT_MS = 120_000;

export const pollCommand: Command = {
  name: 'poll',
  summary: 'Wait for the next work item (generate, accept, discard, cleanup, answer) and lease it.',
  usage: 'poll [--types a,b] [--lease-ms N] [--timeout MS] [--agent ID] [--name TEXT]',
  details: [
    'Prints the bridge\'s answer: {"type":"work",leaseId,kind,sessionId,event,...} when work was leased,',
    '{"type":"timeout"} when nothing arrived in time, {"type":"interrupt",reason} when the user interrupted',
    'this agent, {"type":"exit"} when the bridge is shutting down. All four exit 0, so an agent can loop;',
    'errors exit non-zero. The lease must be acked (`ack`) before it runs out, or the work is handed out again.',
    'The agent id is --agent, else $LIVE_VARIANTS_AGENT, else an id remembered per terminal.',
  ].join('\n'),
  spec: withConnectionFlags({
    positionals: [],
    flags: {
      types: { kind: 'list', valueName: 'a,b', description: 'work kinds to accept', choices: WORK_KINDS },
      'lease-ms': {
        kind: 'integer',
        valueName: 'N',
        min: 1000,
        max: 3_600_000,
        description: 'lease length in ms (default 60000)',
      },
      timeout: {
        kind: 'integer',
        valueName: 'MS',
        min: 0,
        max: MAX_POLL_TIMEOUT_MS,
        description: `how long to wait for work (default ${DEFAULT_POLL_TIMEOUT_MS})`,
      },
      agent: { kind: 'string', valueName: 'ID', description: 'agent id (letters, digits, _ . : -)' },
      name: { kind: 'string', valueName: 'TEXT', description: 'display name shown to the person' },
    },
  }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const endpoint = requireEndpoint(conn);
    const identity = await resolveCliAgent({
      flag: stringFlag(args, 'agent'),
      name: stringFlag(args, 'name'),
      env: io.env,
      root: conn.root,
    });
    const agent = identity.agentId;
    const timeout = integerFlag(args, 'timeout') ?? DEFAULT_POLL_TIMEOUT_MS;
    const answer = await new BridgeClient(endpoint).get('/v1/poll', {
      query: {
        types: listFlag(args, 'types')?.join(','),
        leaseMs: integerFlag(args, 'lease-ms'),
        timeout,
        agent,
        name: identity.name,
        harness: identity.harness,
      },
      timeoutMs: timeout + POLL_GRACE_MS,
    });
    printJson(io, { ...answer, agent });
    return EXIT.ok;
  },
};

/** Result fields the flags fill in; `--data` adds any other field the result type defines. */
function resultOf(
  type: string,
  flags: { file?: string; count?: number; message?: string; reason?: string },
  data: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data, type };
  if (flags.file !== undefined) result.file = flags.file;
  if (flags.count !== undefined) result.count = flags.count;
  if (flags.message !== undefined) result.message = flags.message;
  if (flags.reason !== undefined) result.reason = flags.reason;
  return result;
}

export const ackCommand: Command = {
  name: 'ack',
  summary: 'Report the result of a leased work item (only after the work is on disk).',
  usage: 'ack <leaseId> <result> [--file F] [--count N] [--message M] [--reason R] [--data JSON]',
  details: [
    'Results: done (variants written; --file, --count), error (--message), complete (accept/cleanup applied),',
    "discarded (discard applied), retry (hand the work out again; --reason). Prints the bridge's answer",
    '{ok, itemId, sessionId, kind, seq, duplicate, accepted, phase, diagnostic?}. Acking the same result twice is',
    'harmless; a lease that was handed to someone else is refused with lease_superseded.',
  ].join('\n'),
  spec: withConnectionFlags({
    positionals: [
      { name: 'leaseId', description: 'the leaseId printed by poll', required: true },
      { name: 'result', description: 'what happened', required: true, choices: AGENT_RESULT_TYPES },
    ],
    flags: {
      file: { kind: 'string', valueName: 'F', description: 'file holding the variants (done)' },
      count: { kind: 'integer', valueName: 'N', min: 1, max: 999, description: 'variants written (done)' },
      message: { kind: 'string', valueName: 'M', description: 'what went wrong (error)' },
      reason: { kind: 'string', valueName: 'R', description: 'why to hand the work out again (retry)' },
      data: { kind: 'json', valueName: 'JSON', description: 'more result fields as a JSON object' },
    },
  }),
  async run(args, io) {
    const type = args.positionals.result;
    const data = jsonFlag(args, 'data') ?? {};
    // A command-line mistake is reported before anything else, bridge or not.
    if (type === 'error' && stringFlag(args, 'message') === undefined && typeof data.message !== 'string') {
      throw new LiveVariantsError(
        'missing_flag',
        'An error result needs --message saying what went wrong.',
        '--message',
      );
    }
    const conn = await resolveConnection(args, io.cwd, io.env);
    const endpoint = requireEndpoint(conn);
    const fileFlag = stringFlag(args, 'file');
    const result = resultOf(
      type,
      {
        file: fileFlag === undefined ? undefined : workspaceFile(conn.root, io.cwd, fileFlag),
        count: integerFlag(args, 'count'),
        message: stringFlag(args, 'message'),
        reason: stringFlag(args, 'reason'),
      },
      data,
    );
    const answer = await new BridgeClient(endpoint).post('/v1/ack', {
      leaseId: args.positionals.leaseId,
      result,
    });
    printJson(io, answer);
    return EXIT.ok;
  },
};
