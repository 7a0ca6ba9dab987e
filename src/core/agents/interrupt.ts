// Interrupt and heartbeat (docs/agents.md "Interrupt and heartbeat"). The queue does the fencing: revoking an agent's
// leases makes their acks fail with lease_superseded and makes the work deliverable again, and it leaves the
// agent an interrupt notice. The notice is handed out once, to whichever comes first of the agent's next
// poll or its next heartbeat. These helpers add the registry's record of it.
import type { InterruptNotice, Lease } from '../queue';
import { validateAgentId } from './ids';
import type { AgentRegistry } from './registry';
import type { AgentView } from './types';

/** What interruptAgent needs of the session engine (SessionEngine has it). */
export interface Revoker {
  revokeAgent(agentId: string, reason: string): Lease[];
}

/** What heartbeat needs of the session engine (SessionEngine has it). */
export interface InterruptSource {
  takeInterrupt(agentId: string): InterruptNotice | undefined;
}

export interface InterruptResult {
  agentId: string;
  reason: string;
  /** The leases taken back (their items are owed again at once). */
  revoked: { leaseId: string; itemId: string }[];
  /** False when the registry has never heard of the agent (the notice still waits for its next poll). */
  known: boolean;
}

export const DEFAULT_INTERRUPT_REASON = 'Interrupted by the user.';

/**
 * Revokes the agent's leases through the engine and records the interrupt. Wake parked polls afterwards
 * (the revoked items are deliverable again). Bad agent ids or reasons throw a LiveVariantsError.
 */
export function interruptAgent(
  engine: Revoker,
  registry: AgentRegistry,
  agentId: string,
  reason: string = DEFAULT_INTERRUPT_REASON,
): InterruptResult {
  const id = validateAgentId(agentId);
  const revoked = engine.revokeAgent(id, reason);
  const known = registry.recordInterrupt(id, reason, revoked.length);
  return {
    agentId: id,
    reason,
    revoked: revoked.map((l) => ({ leaseId: l.leaseId, itemId: l.itemId })),
    known,
  };
}

export interface HeartbeatResult {
  agent: AgentView;
  /** The pending interrupt, handed out now (the next poll will not see it again). */
  interrupt: InterruptNotice | null;
}

/** An agent's "still here": refreshes presence and hands over a pending interrupt. */
export function heartbeat(
  engine: InterruptSource,
  registry: AgentRegistry,
  agentId: string,
  contact: { name?: string; harness?: string; sessionId?: string; detail?: string } = {},
): HeartbeatResult {
  const agent = registry.touch(agentId, { ...contact, action: 'heartbeat' });
  const interrupt = engine.takeInterrupt(agent.agentId) ?? null;
  if (interrupt) {
    registry.markInterruptDelivered(agent.agentId);
    return { agent: registry.get(agent.agentId) ?? agent, interrupt };
  }
  return { agent, interrupt };
}
