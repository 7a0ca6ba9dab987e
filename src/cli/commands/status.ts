// `status`: what happened and what to do next (DESIGN.md §6). From the bridge when one answers; otherwise
// computed here from the journal (read without the writer lock) and the source markers, with the same
// reconciler the bridge uses. Offline, the effects the report asks for (synthetic completions, adopted source
// sessions) are listed but not recorded: the next status with a bridge records them.

import { LiveVariantsError } from '../../core/errors';
import { computeStatus, gatherStatusInputs, type StatusReport } from '../../core/status';
import { booleanFlag, stringFlag } from '../args';
import { BridgeClient } from '../client';
import type { Command } from '../command';
import {
  type BridgeInfo,
  type Connection,
  offlineBridgeInfo,
  resolveConnection,
  withConnectionFlags,
} from '../connection';
import { readJournalOffline } from '../offlineJournal';
import { EXIT, printJson, printText } from '../output';

/** The report as printed: the reconciler's report with the CLI's view of the bridge merged into `bridge`. */
export type PrintedStatus = Record<string, unknown> & { bridge: Record<string, unknown> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withBridge(report: Record<string, unknown>, info: BridgeInfo): PrintedStatus {
  const reported = isRecord(report.bridge) ? report.bridge : {};
  const bridge: Record<string, unknown> = {
    ...reported,
    running: info.running,
    url: info.url ?? reported.url ?? null,
  };
  if (info.pid !== undefined) bridge.pid = info.pid;
  if (info.source !== undefined) bridge.source = info.source;
  if (info.reason !== undefined) bridge.reason = info.reason;
  if (info.message !== undefined) bridge.message = info.message;
  return { ...report, bridge };
}

export async function offlineStatus(
  conn: Connection,
  opts: { all: boolean; sessionId?: string; now?: Date },
): Promise<StatusReport> {
  const journal = await readJournalOffline(conn.journalDir);
  const inputs = await gatherStatusInputs({
    root: conn.root,
    sessions: journal.sessions,
    completed: journal.completed,
    includeCompleted: opts.all,
    lastActivity: journal.lastActivity,
    bridge: { running: false, url: null },
    now: opts.now,
    journalDir: conn.journalDir,
  });
  const report = computeStatus({ ...inputs, sessionId: opts.sessionId });
  const kept = journal.diagnostics.filter(
    (d) => opts.sessionId === undefined || d.sessionId === opts.sessionId,
  );
  report.diagnostics.push(...kept);
  return report;
}

async function onlineStatus(
  conn: Connection,
  opts: { all: boolean; sessionId?: string },
): Promise<PrintedStatus | LiveVariantsError> {
  if (conn.endpoint === null) throw new LiveVariantsError('bridge_not_running', 'No bridge.');
  try {
    const report = await new BridgeClient(conn.endpoint).get('/v1/status', {
      query: { all: opts.all ? '1' : undefined, sessionId: opts.sessionId },
    });
    return withBridge(report, {
      running: true,
      url: conn.endpoint.url,
      source: conn.endpoint.source,
      pid: conn.endpoint.pid,
    });
  } catch (err) {
    if (
      err instanceof LiveVariantsError &&
      (err.code === 'bridge_unreachable' || err.code === 'bridge_timeout')
    )
      return err;
    throw err;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A few lines for a person: the next action, why, the command, and where the answer came from. */
export function humanStatus(status: PrintedStatus): string {
  const next = isRecord(status.nextAction) ? status.nextAction : {};
  const where = [text(next.sessionId) ? `session ${next.sessionId}` : null, text(next.file)].filter(
    (s) => s !== null,
  );
  const lines = [
    `Next action: ${String(next.action ?? 'unknown')}${where.length > 0 ? ` (${where.join(', ')})` : ''}`,
  ];
  if (text(next.reason)) lines.push(`Reason: ${next.reason}`);
  if (text(next.command)) lines.push(`Run: ${next.command}`);
  const b = status.bridge;
  lines.push(
    b.running === true
      ? `Bridge: running at ${String(b.url)}`
      : `Bridge: not running (${String(b.reason ?? 'no_discovery')}); this status was read from the journal and the source`,
  );
  const sessions = Array.isArray(status.sessions) ? status.sessions.length : 0;
  const sourceOnly = Array.isArray(status.sourceSessions) ? status.sourceSessions.length : 0;
  const diagnostics = Array.isArray(status.diagnostics) ? status.diagnostics.length : 0;
  lines.push(
    `Sessions: ${sessions} active, ${sourceOnly} in source only; ${diagnostics} diagnostic${diagnostics === 1 ? '' : 's'}` +
      (diagnostics > 0 || sessions > 1 ? ' (live-variants status --json for details)' : ''),
  );
  return `${lines.join('\n')}\n`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'What happened and what to do next (works without a bridge).',
  usage: 'status [--json] [--all] [--id ID]',
  details: [
    'With --json prints the status report (docs/cli.md "Status report") with "bridge":{"running",...}; without',
    'it, a short summary: the next action, its reason and the command to run. Without a bridge the report is',
    'computed from the journal (read-only) and the source markers.',
  ].join('\n'),
  spec: withConnectionFlags(
    {
      positionals: [],
      flags: {
        json: { kind: 'boolean', description: 'print the full report as JSON' },
        all: { kind: 'boolean', description: 'include completed sessions' },
        id: { kind: 'string', valueName: 'ID', description: 'only this session in "sessions"' },
      },
    },
    true,
  ),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const opts = { all: booleanFlag(args, 'all'), sessionId: stringFlag(args, 'id') };
    let status: PrintedStatus;
    const online = conn.endpoint !== null ? await onlineStatus(conn, opts) : undefined;
    if (online !== undefined && !(online instanceof LiveVariantsError)) status = online;
    else {
      const report = await offlineStatus(conn, opts);
      status = withBridge(report as unknown as Record<string, unknown>, offlineBridgeInfo(conn, online));
    }
    if (booleanFlag(args, 'json')) printJson(io, status);
    else printText(io, humanStatus(status));
    return EXIT.ok;
  },
};
