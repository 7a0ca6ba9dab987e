// Commands that change a session: `accept`, `discard` (the user's decision, through the bridge), `resume` and
// `complete` (through the bridge, or offline through the engine with the journal's writer lock).

import { existsSync } from 'node:fs';
import { createBridgeOps } from '../../bridge/operations';
import { SourceApplier } from '../../bridge/sourceApplier';
import { SessionEngine, type SessionView } from '../../core/engine';
import { LiveVariantsError } from '../../core/errors';
import type { WorkKind } from '../../core/queue/types';
import { booleanFlag, integerFlag, jsonFlag, stringFlag } from '../args';
import { BridgeClient } from '../client';
import type { Command } from '../command';
import { type Connection, requireEndpoint, resolveConnection, withConnectionFlags } from '../connection';
import { EXIT, NO_BRIDGE_CODES, printJson } from '../output';

const SESSION_ARG = { name: 'id', description: 'session id', required: true } as const;

/** Runs `online` against the bridge; when none answers, runs `offline` (which takes the writer lock). */
async function withBridgeOrOffline<T>(
  conn: Connection,
  online: (client: BridgeClient) => Promise<T>,
  offline: () => Promise<T>,
): Promise<T> {
  if (conn.endpoint === null) return offline();
  try {
    return await online(new BridgeClient(conn.endpoint));
  } catch (err) {
    // A discovered bridge that refuses connections died without cleaning up: that is "no bridge". A slow one
    // still holds the journal, and a bridge named by flags or environment is the one the caller wants.
    if (
      err instanceof LiveVariantsError &&
      err.code === 'bridge_unreachable' &&
      conn.endpoint.source === 'discovery'
    ) {
      return offline();
    }
    throw err;
  }
}

/** Opens the engine on the journal (taking the writer lock) for one operation. */
async function withEngine<T>(conn: Connection, run: (engine: SessionEngine) => Promise<T>): Promise<T> {
  const engine = await SessionEngine.open({ journalDir: conn.journalDir });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

/** Refusal when the machine did not take the user's decision (`accepted: false` in the bridge's answer). */
function refusedDecision(answer: Record<string, unknown>, what: string): LiveVariantsError {
  const diagnostic = answer.diagnostic as { code?: unknown; message?: unknown } | undefined;
  const { diagnostic: _d, ...rest } = answer;
  return new LiveVariantsError(
    typeof diagnostic?.code === 'string' ? diagnostic.code : 'transition_rejected',
    typeof diagnostic?.message === 'string'
      ? diagnostic.message
      : `The ${what} was refused in phase ${String(answer.phase)}.`,
    'sessionId',
    rest,
  );
}

function needsBridge(what: string): LiveVariantsError {
  return new LiveVariantsError(
    'bridge_not_running',
    `${what} needs a running bridge (it records the user's decision and rewrites the source). Start one with \`live-variants serve\` or open the folder in VS Code.`,
  );
}

async function decide(
  conn: Connection,
  path: '/v1/accept' | '/v1/discard',
  body: Record<string, unknown>,
  what: string,
) {
  let endpoint: ReturnType<typeof requireEndpoint>;
  try {
    endpoint = requireEndpoint(conn);
  } catch (err) {
    if (err instanceof LiveVariantsError && NO_BRIDGE_CODES.has(err.code)) throw needsBridge(what);
    throw err;
  }
  const answer = await new BridgeClient(endpoint).post(path, body);
  // The same decision again is already recorded: idempotent success, not a refusal.
  const code = (answer.diagnostic as { code?: unknown } | undefined)?.code;
  if (answer.accepted === false && code !== 'duplicate_event') throw refusedDecision(answer, what);
  return answer;
}

export const acceptCommand: Command = {
  name: 'accept',
  summary: "Accept a variant for a session (the user's decision; needs a running bridge).",
  usage: 'accept <id> --variant N [--params JSON]',
  details:
    "Journaled like a browser accept; the bridge (or an agent, with --accept-by agent) then rewrites the source.\nPrints the bridge's acknowledgement {eventId, sessionId, seq, duplicate, accepted, phase}.",
  spec: withConnectionFlags({
    positionals: [SESSION_ARG],
    flags: {
      variant: { kind: 'integer', valueName: 'N', min: 1, max: 999, description: 'the variant to keep' },
      params: { kind: 'json', valueName: 'JSON', description: 'parameter values, e.g. {"tone":0.4}' },
    },
  }),
  async run(args, io) {
    const variant = integerFlag(args, 'variant');
    if (variant === undefined) {
      throw new LiveVariantsError('missing_flag', '--variant is required: the variant to keep.', '--variant');
    }
    const conn = await resolveConnection(args, io.cwd, io.env);
    const params = jsonFlag(args, 'params');
    const body: Record<string, unknown> = { sessionId: args.positionals.id, variant: String(variant) };
    if (params !== undefined) body.params = params;
    printJson(io, await decide(conn, '/v1/accept', body, 'accept'));
    return EXIT.ok;
  },
};

export const discardCommand: Command = {
  name: 'discard',
  summary: "Discard a session's variants and restore the original (needs a running bridge).",
  usage: 'discard <id>',
  details: "Journaled like a browser discard. Prints the bridge's acknowledgement.",
  spec: withConnectionFlags({ positionals: [SESSION_ARG], flags: {} }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    printJson(io, await decide(conn, '/v1/discard', { sessionId: args.positionals.id }, 'discard'));
    return EXIT.ok;
  },
};

/** Work a phase owes an agent after an interruption (bridge-applied accepts/discards are the bridge's). */
function owedKind(view: SessionView): WorkKind | undefined {
  switch (view.phase) {
    case 'generating':
    case 'source_wrapped':
      return 'generate';
    case 'accepted_source_pending':
      return 'carbonize_cleanup';
    case 'accept_pending':
    case 'discard_pending': {
      // Only work that was handed to agents and then lost is owed to them again.
      const kind = view.phase === 'accept_pending' ? 'accept' : 'discard';
      return view.deadLettered.some((w) => w.kind === kind) ? kind : undefined;
    }
    default:
      return undefined;
  }
}

/** Offline resume: un-strand sessions and owe lost work again, as the bridge's resume does. */
export async function resumeOffline(
  engine: SessionEngine,
  sessionId?: string,
): Promise<Record<string, unknown>[]> {
  const targets = sessionId
    ? [engine.view(sessionId)].filter((v): v is SessionView => v !== undefined)
    : engine.activeSessions();
  if (sessionId !== undefined && targets.length === 0) {
    throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
  }
  const resumed: Record<string, unknown>[] = [];
  for (const view of targets) {
    let v = view;
    if (v.phase === 'stranded') {
      await engine.submit(v.sessionId, `resume:${v.lastSeq}`, { type: 'session.resume' });
      v = engine.view(v.sessionId) ?? v;
      resumed.push({ sessionId: v.sessionId, action: 'resumed', phase: v.phase });
    }
    const kind = owedKind(v);
    if (kind !== undefined) {
      const itemId = await engine.requeue(v.sessionId, kind);
      if (itemId !== undefined) resumed.push({ sessionId: v.sessionId, action: 'requeued', kind, itemId });
    }
    if (v.phase === 'accept_pending' || v.phase === 'discard_pending') {
      // Nothing applies the user's decision offline; the bridge does when it starts.
      resumed.push({ sessionId: v.sessionId, action: 'apply_source_when_bridge_starts', phase: v.phase });
    }
  }
  return resumed;
}

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Resume interrupted sessions: un-strand them and owe their lost work again.',
  usage: 'resume [<id> | --id ID]',
  details: [
    'With a bridge: POST /v1/resume. Without one: opens the journal itself (fails with journal_locked while',
    'another process, such as VS Code, is its writer). Prints {resumed:[{sessionId, action, ...}], bridge:{running}}.',
  ].join('\n'),
  spec: withConnectionFlags(
    {
      positionals: [{ name: 'id', description: 'only this session', required: false }],
      flags: { id: { kind: 'string', valueName: 'ID', description: 'only this session' } },
    },
    true,
  ),
  async run(args, io) {
    const flagId = stringFlag(args, 'id');
    const argId = args.positionals.id;
    if (flagId !== undefined && argId !== undefined && flagId !== argId) {
      throw new LiveVariantsError(
        'invalid_value',
        `Two different sessions given: ${argId} and --id ${flagId}.`,
        '--id',
      );
    }
    const sessionId = flagId ?? argId;
    const conn = await resolveConnection(args, io.cwd, io.env);
    const answer = await withBridgeOrOffline(
      conn,
      async (client) => ({
        ...(await client.post('/v1/resume', sessionId ? { sessionId } : {})),
        bridge: { running: true },
      }),
      async () => {
        if (!existsSync(conn.journalDir)) {
          if (sessionId !== undefined) {
            throw new LiveVariantsError(
              'session_not_found',
              `No active session ${sessionId} (no journal at ${conn.journalDir}).`,
              'sessionId',
            );
          }
          return { resumed: [], bridge: { running: false } };
        }
        return {
          resumed: await withEngine(conn, (engine) => resumeOffline(engine, sessionId)),
          bridge: { running: false },
        };
      },
    );
    printJson(io, answer);
    return EXIT.ok;
  },
};

export const completeCommand: Command = {
  name: 'complete',
  summary: "Mark a session's cleanup complete once no markers of it remain in source.",
  usage: 'complete <id> [--force]',
  details: [
    'Runs the completion check first: while markers of the session remain it refuses with not_clean and lists',
    'findings [{marker, line, excerpt, why, file}] (exit 1); --force completes anyway. Without a bridge it',
    'appends the completion to the journal itself (fails with journal_locked while another process writes it).',
  ].join('\n'),
  spec: withConnectionFlags(
    {
      positionals: [SESSION_ARG],
      flags: { force: { kind: 'boolean', description: 'complete even with findings' } },
    },
    true,
  ),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const sessionId = args.positionals.id;
    const force = booleanFlag(args, 'force');
    const answer = await withBridgeOrOffline(
      conn,
      async (client) => ({
        ...(await client.post('/v1/complete', { sessionId, force })),
        bridge: { running: true },
      }),
      async () => {
        if (!existsSync(conn.journalDir)) {
          throw new LiveVariantsError(
            'session_not_found',
            `No session ${sessionId} (no journal at ${conn.journalDir}).`,
            'sessionId',
          );
        }
        const result = await withEngine(conn, (engine) => {
          const ops = createBridgeOps({
            engine,
            root: conn.root,
            acceptBy: 'bridge',
            applier: new SourceApplier(engine, conn.root, () => {}),
            connectedSessions: () => new Set(),
            bridgeUrl: () => '',
          });
          return ops.complete(sessionId, force);
        });
        return { ...result, bridge: { running: false } };
      },
    );
    printJson(io, answer);
    return EXIT.ok;
  },
};
