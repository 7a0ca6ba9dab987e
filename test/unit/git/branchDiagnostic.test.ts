import { describe, expect, it } from 'vitest';
import { branchDiagnostic, shellQuote } from '../../../src/core/git';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('branchDiagnostic', () => {
  it('says nothing while the workspace stays on the session branch, even after new commits', () => {
    expect(
      branchDiagnostic({ sessionId: 's1', branch: 'main', head: A }, { branch: 'main', head: B }),
    ).toBeNull();
  });

  it('reports a switch to another branch with the command that switches back', () => {
    expect(
      branchDiagnostic({ sessionId: 's1', branch: 'feature/hero', head: A }, { branch: 'main', head: B }),
    ).toEqual({
      code: 'branch_changed',
      sessionId: 's1',
      message:
        'Session s1 was started on branch "feature/hero", but the workspace is now on branch "main". Its markers ' +
        'may be missing here only because this branch never had them: run `git switch feature/hero` before ' +
        'writing, accepting or cleaning up; nothing is treated as complete meanwhile.',
      suggestedAction: 'git switch feature/hero',
      expected: { branch: 'feature/hero', head: A },
      current: { branch: 'main', head: B },
    });
  });

  it('reports a detached HEAD where the session had a branch', () => {
    const d = branchDiagnostic({ sessionId: 's1', branch: 'main', head: A }, { branch: null, head: A });
    expect(d?.suggestedAction).toBe('git switch main');
    expect(d?.message).toContain('now on a detached HEAD at aaaaaaa');
  });

  it('compares a session started on a detached HEAD by commit', () => {
    expect(
      branchDiagnostic({ sessionId: 's1', branch: null, head: A }, { branch: 'main', head: A }),
    ).toBeNull();
    const d = branchDiagnostic({ sessionId: 's1', branch: null, head: A }, { branch: null, head: B });
    expect(d?.suggestedAction).toBe(`git switch --detach ${A}`);
    expect(d?.message).toContain('started on a detached HEAD at aaaaaaa');
  });

  it('says nothing when either side has no repository', () => {
    expect(branchDiagnostic({ sessionId: 's1', branch: 'main', head: A }, null)).toBeNull();
    expect(
      branchDiagnostic({ sessionId: 's1', branch: null, head: null }, { branch: 'main', head: A }),
    ).toBeNull();
  });

  it('quotes branch names a shell would misread', () => {
    const d = branchDiagnostic({ sessionId: 's1', branch: "it's$(x)", head: A }, { branch: 'main', head: A });
    expect(d?.suggestedAction).toBe(`git switch 'it'\\''s$(x)'`);
    expect(shellQuote('feat/ok-1.2_x')).toBe('feat/ok-1.2_x');
  });
});
