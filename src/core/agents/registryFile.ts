// The registry's file (docs/agents.md "Presence and the registry"): `{"v":1,"savedAt":ISO,"agents":[…]}`, written whole
// and atomically. It lets a reloaded VS Code window show the recent agents; it is a cache, so a missing or
// unreadable file is an empty registry (with a diagnostic) and a bad entry is skipped, never an error.
// Leases are not saved: after a restart the queue issues leases under a new epoch, so old ones mean nothing.
import { promises as fsp } from 'node:fs';
import { isSessionId } from '../journal';
import { cleanLabel, isAgentId } from './ids';
import { type AgentRecord, CONTACT_ACTIONS, type ContactAction, type RegistryDiagnostic } from './types';

export const REGISTRY_FILE_VERSION = 1;

interface PersistedAgent {
  agentId: string;
  name: string;
  harness: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastAction: { action: ContactAction; at: string; detail: string | null };
  sessions: string[];
  interrupt: { reason: string; at: string; revoked: number; delivered: boolean } | null;
}

export function serializeRegistry(records: Iterable<AgentRecord>, now: number): string {
  const agents: PersistedAgent[] = [];
  for (const r of records) {
    agents.push({
      agentId: r.agentId,
      name: r.name,
      harness: r.harness,
      firstSeenAt: iso(r.firstSeenAt),
      lastSeenAt: iso(r.lastSeenAt),
      lastAction: { action: r.lastAction.action, at: iso(r.lastAction.at), detail: r.lastAction.detail },
      sessions: [...r.sessions],
      interrupt: r.interrupt && { ...r.interrupt, at: iso(r.interrupt.at) },
    });
  }
  return `${JSON.stringify({ v: REGISTRY_FILE_VERSION, savedAt: iso(now), agents }, null, 2)}\n`;
}

export interface ParsedRegistry {
  records: AgentRecord[];
  diagnostics: RegistryDiagnostic[];
}

export function parseRegistry(text: string, path: string): ParsedRegistry {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return unreadable(path, 'it is not JSON');
  }
  if (!isObject(doc) || doc.v !== REGISTRY_FILE_VERSION || !Array.isArray(doc.agents)) {
    return unreadable(path, `it is not a version ${REGISTRY_FILE_VERSION} agents file`);
  }
  const records: AgentRecord[] = [];
  const diagnostics: RegistryDiagnostic[] = [];
  doc.agents.forEach((entry: unknown, i: number) => {
    const record = toRecord(entry);
    if (record) records.push(record);
    else {
      diagnostics.push({
        code: 'agents_file_entry_skipped',
        message: `Entry ${i} of ${path} is not a valid agent; it was skipped.`,
      });
    }
  });
  return { records, diagnostics };
}

export async function readRegistryFile(path: string): Promise<ParsedRegistry> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], diagnostics: [] };
    return unreadable(path, `it could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseRegistry(text, path);
}

function unreadable(path: string, why: string): ParsedRegistry {
  return {
    records: [],
    diagnostics: [
      {
        code: 'agents_file_unreadable',
        message: `The agents file ${path} was ignored because ${why}; it is rewritten on the next save.`,
      },
    ],
  };
}

function toRecord(v: unknown): AgentRecord | undefined {
  if (!isObject(v) || !isAgentId(v.agentId)) return undefined;
  const firstSeenAt = time(v.firstSeenAt);
  const lastSeenAt = time(v.lastSeenAt);
  const la = v.lastAction;
  if (firstSeenAt === undefined || lastSeenAt === undefined || !isObject(la)) return undefined;
  const action = la.action;
  const at = time(la.at);
  if (!(CONTACT_ACTIONS as readonly unknown[]).includes(action) || at === undefined) return undefined;
  if (typeof v.name !== 'string' || typeof v.harness !== 'string') return undefined;
  const sessions = Array.isArray(v.sessions)
    ? v.sessions.filter((s): s is string => typeof s === 'string' && isSessionId(s))
    : [];
  let interrupt: AgentRecord['interrupt'] = null;
  const i = v.interrupt;
  if (isObject(i)) {
    const iat = time(i.at);
    if (typeof i.reason === 'string' && iat !== undefined) {
      interrupt = {
        reason: i.reason.slice(0, 1000),
        at: iat,
        revoked:
          typeof i.revoked === 'number' && Number.isSafeInteger(i.revoked) ? Math.max(0, i.revoked) : 0,
        delivered: i.delivered === true,
      };
    }
  }
  return {
    agentId: v.agentId,
    name: cleanLabel(v.name, 'name', 80, v.agentId),
    harness: cleanLabel(v.harness, 'harness', 40, 'unknown'),
    firstSeenAt,
    lastSeenAt,
    lastAction: {
      action: action as ContactAction,
      at,
      detail: typeof la.detail === 'string' ? cleanLabel(la.detail, 'detail', 200, '') || null : null,
    },
    lease: null,
    sessions: sessions.slice(0, 64),
    interrupt,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
