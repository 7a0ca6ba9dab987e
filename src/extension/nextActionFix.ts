// The fixes VS Code offers for a next action (Resume Live Session, the view's next-action button). The first
// option is the primary one. Pure, so the mapping from status to buttons is tested without VS Code.
import type { NextAction, SessionStatus } from '../core/status';

export type FixKind =
  | 'resume'
  | 'openPreview'
  | 'requeue'
  | 'apply'
  | 'complete'
  | 'openFile'
  | 'copyInstructions';

export interface FixOption {
  kind: FixKind;
  label: string;
}

export interface FixContext {
  /** Who rewrites source on accept in the window that owns the journal. */
  appliedBy: 'extension' | 'agent' | 'remote';
}

export function fixesFor(next: NextAction, session: SessionStatus | undefined, ctx: FixContext): FixOption[] {
  const out: FixOption[] = [];
  if (session?.phase === 'stranded') out.push({ kind: 'resume', label: 'Resume Session' });
  const queued = session?.owed.some((o) => o.state === 'ready') ?? false;
  const leased = next.lease !== null || (session?.owed.some((o) => o.state === 'leased') ?? false);
  switch (next.action) {
    case 'ask_user_to_reopen_browser':
      out.push({ kind: 'openPreview', label: 'Open Preview' });
      break;
    case 'poll_for_pending_event':
    case 'write_variants':
    case 'continue_writing_variants':
      if (!queued && !leased && session?.phase !== 'stranded' && next.action !== 'poll_for_pending_event') {
        out.push({ kind: 'requeue', label: 'Re-queue Work' });
      }
      if (!leased) out.push({ kind: 'copyInstructions', label: 'Copy Agent Instructions' });
      break;
    case 'run_accept_cleanup':
    case 'restore_discard': {
      const what = next.action === 'run_accept_cleanup' ? 'Accept' : 'Discard';
      if (ctx.appliedBy === 'extension') out.push({ kind: 'apply', label: `Run ${what}` });
      else if (!queued && !leased) out.push({ kind: 'requeue', label: 'Re-queue Work' });
      break;
    }
    case 'run_carbonize_cleanup':
      out.push({ kind: 'complete', label: 'Mark Cleanup Complete' });
      if (!queued && !leased) out.push({ kind: 'requeue', label: 'Re-queue Cleanup' });
      break;
    case 'persist_fallback_to_true_source':
      if (next.file) out.push({ kind: 'openFile', label: 'Open File' });
      break;
    case 'no_active_session':
      out.push({ kind: 'openPreview', label: 'Open Preview' });
      break;
    default:
      break;
  }
  if (next.file && next.action !== 'persist_fallback_to_true_source' && next.action !== 'no_active_session') {
    out.push({ kind: 'openFile', label: 'Open File' });
  }
  // Stranded: resuming re-queues the lost work itself, so a separate re-queue would do it twice.
  return session?.phase === 'stranded' ? out.filter((o) => o.kind !== 'requeue') : out;
}
