import { describe, expect, it } from 'vitest';
import { fixesFor } from '../../../src/extension/nextActionFix';
import { nextAction, session } from './fixtures';

const kinds = (xs: { kind: string }[]) => xs.map((x) => x.kind);

describe('fixesFor', () => {
  it('offers to reopen the preview when no page holds the session', () => {
    const s = session();
    expect(fixesFor(s.nextAction, s, { appliedBy: 'extension' })).toEqual([
      { kind: 'openPreview', label: 'Open Preview' },
      { kind: 'openFile', label: 'Open File' },
    ]);
  });

  it('resumes a stranded session first and never re-queues separately', () => {
    const s = session({ phase: 'stranded', strandedFrom: 'generating' });
    const next = nextAction({ action: 'write_variants' });
    expect(kinds(fixesFor(next, s, { appliedBy: 'extension' }))).toEqual([
      'resume',
      'copyInstructions',
      'openFile',
    ]);
  });

  it('re-queues lost generate work, and points at the agent instructions', () => {
    const s = session({ phase: 'generating', owed: [] });
    const next = nextAction({ action: 'write_variants' });
    expect(kinds(fixesFor(next, s, { appliedBy: 'extension' }))).toEqual([
      'requeue',
      'copyInstructions',
      'openFile',
    ]);
  });

  it('offers nothing to re-queue while an agent holds the lease', () => {
    const lease = { leaseId: 'l', itemId: 'i', kind: 'generate', leaseUntil: '2026-01-01T00:00:00.000Z' };
    const s = session({
      phase: 'generating',
      owed: [{ itemId: 'i', kind: 'generate', state: 'leased', attempts: 0, arrivedAt: null, lease }],
    });
    const next = nextAction({ action: 'write_variants', lease });
    expect(kinds(fixesFor(next, s, { appliedBy: 'extension' }))).toEqual(['openFile']);
  });

  it('runs the accept in the editor when the extension applies accepts, else re-queues it', () => {
    const s = session({ phase: 'accept_pending' });
    const next = nextAction({ action: 'run_accept_cleanup' });
    expect(fixesFor(next, s, { appliedBy: 'extension' })[0]).toEqual({ kind: 'apply', label: 'Run Accept' });
    expect(fixesFor(next, s, { appliedBy: 'agent' })[0]).toEqual({ kind: 'requeue', label: 'Re-queue Work' });
    expect(fixesFor(nextAction({ action: 'restore_discard' }), s, { appliedBy: 'extension' })[0].label).toBe(
      'Run Discard',
    );
  });

  it('marks cleanup complete for an owed carbonize cleanup', () => {
    const s = session({ phase: 'accepted_source_pending' });
    expect(
      kinds(fixesFor(nextAction({ action: 'run_carbonize_cleanup' }), s, { appliedBy: 'extension' })),
    ).toEqual(['complete', 'requeue', 'openFile']);
  });

  it('opens the generated file once for a persist fallback, and the preview when nothing is active', () => {
    expect(
      kinds(
        fixesFor(nextAction({ action: 'persist_fallback_to_true_source' }), undefined, {
          appliedBy: 'remote',
        }),
      ),
    ).toEqual(['openFile']);
    expect(
      kinds(
        fixesFor(nextAction({ action: 'no_active_session', file: null }), undefined, { appliedBy: 'remote' }),
      ),
    ).toEqual(['openPreview']);
  });
});
