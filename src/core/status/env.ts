// Shared pieces of one status computation: the prepared inputs every session reads, the draft of an
// action before it is dressed as a NextAction, and the urgency ranks that order sessions.

import type { OwedItem } from '../queue/types';
import type { SourceIndex } from './evidence';
import type { LeaseClock } from './owed';
import type {
  ArtifactStatus,
  BranchInfo,
  LeaseInfo,
  NextActionKind,
  ParamValues,
  StatusDiagnostic,
} from './types';

export interface StatusEnv {
  index: SourceIndex;
  clock: LeaseClock;
  owedBySession: Map<string, OwedItem[]>;
  browserConnected: (sessionId: string) => boolean;
  lastActivity: Record<string, string>;
  root?: string;
  currentBranch: BranchInfo | null | 'unreadable';
  artifacts: Record<string, { artifacts: ArtifactStatus[]; diagnostics: StatusDiagnostic[] }>;
}

export interface ActionDraft {
  action: NextActionKind;
  /** Lower is more urgent (see RANK). */
  rank: number;
  reason: string;
  /** Overrides the session's file (e.g. the generated file holding the markers). */
  file?: string | null;
  variant?: string | null;
  paramValues?: ParamValues | null;
  lease?: LeaseInfo | null;
  command?: string;
}

/**
 * Urgency, most urgent first: the user's decision waits on source (accept/discard), then cleanup the
 * accept left, then markers stuck in a generated file, then variants to write (or a generate to poll for),
 * then a person to reopen the browser, then a workspace to switch back to a session's branch (work on the
 * branch checked out comes first), then a completion to acknowledge, then waiting on the user.
 */
export const RANK = {
  decision: 0,
  carbonize: 1,
  persist: 2,
  write: 3,
  reopen: 4,
  branch: 5,
  acknowledge: 6,
  waiting: 7,
  none: 8,
} as const;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
