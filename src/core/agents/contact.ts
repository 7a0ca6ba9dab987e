// Checks on a contact (agent id aside, which ids.ts checks): it arrives from HTTP bodies and CLI flags, so
// every field is validated and cleaned before the registry stores it.
import { LiveVariantsError } from '../errors';
import { isSessionId } from '../journal';
import { cleanLabel } from './ids';
import { type AgentContact, type AgentLease, CONTACT_ACTIONS } from './types';

/** The part of a queue's owed item that tells who holds a lease (engine.owed()). */
export interface OwedLease {
  item: { id: string; sessionId: string; kind: string };
  lease?: { leaseId: string; agentId?: string };
}

const MAX_ID_FIELD = 256;

export function leaseFromQueue(agentId: string, owed: readonly OwedLease[]): AgentLease | null {
  for (const o of owed) {
    if (o.lease?.agentId === agentId) {
      return { leaseId: o.lease.leaseId, itemId: o.item.id, sessionId: o.item.sessionId, kind: o.item.kind };
    }
  }
  return null;
}

export interface CheckedContact {
  action: AgentContact['action'];
  name?: string;
  harness?: string;
  sessionId?: string;
  lease?: AgentLease | null;
  detail?: string;
}

export function checkContact(c: AgentContact): CheckedContact {
  if (typeof c !== 'object' || c === null) {
    throw new LiveVariantsError('invalid_input', 'A contact must be an object with an action.', 'contact');
  }
  if (!(CONTACT_ACTIONS as readonly unknown[]).includes(c.action)) {
    throw new LiveVariantsError(
      'invalid_input',
      `action must be one of ${CONTACT_ACTIONS.join(', ')}.`,
      'action',
    );
  }
  const out: CheckedContact = { action: c.action };
  if (c.name !== undefined) out.name = cleanLabel(c.name, 'name', 80, '') || undefined;
  if (c.harness !== undefined) out.harness = cleanLabel(c.harness, 'harness', 40, '') || undefined;
  if (c.detail !== undefined) out.detail = cleanLabel(c.detail, 'detail', 200, '') || undefined;
  if (c.sessionId !== undefined) {
    if (typeof c.sessionId !== 'string' || !isSessionId(c.sessionId)) {
      throw new LiveVariantsError(
        'invalid_input',
        'sessionId must be 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-".',
        'sessionId',
      );
    }
    out.sessionId = c.sessionId;
  }
  if (c.lease !== undefined) out.lease = c.lease === null ? null : checkLease(c.lease);
  return out;
}

function checkLease(l: unknown): AgentLease {
  const o = l as Record<string, unknown>;
  if (typeof l !== 'object' || l === null) {
    throw new LiveVariantsError('invalid_input', 'lease must be an object or null.', 'lease');
  }
  for (const k of ['leaseId', 'itemId', 'sessionId', 'kind'] as const) {
    const v = o[k];
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID_FIELD) {
      throw new LiveVariantsError('invalid_input', `lease.${k} must be a non-empty string.`, `lease.${k}`);
    }
  }
  if (!isSessionId(o.sessionId as string)) {
    throw new LiveVariantsError('invalid_input', 'lease.sessionId is not a session id.', 'lease.sessionId');
  }
  return {
    leaseId: o.leaseId as string,
    itemId: o.itemId as string,
    sessionId: o.sessionId as string,
    kind: o.kind as string,
  };
}
