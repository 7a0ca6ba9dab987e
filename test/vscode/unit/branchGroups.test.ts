import { describe, expect, it } from 'vitest';
import { branchLabel, buildViewState } from '../../../src/extension/viewState';
import { groupByBranch } from '../../../webview-ui/branchGroups';
import { report, session } from './fixtures';

describe('groupByBranch', () => {
  it('groups sessions by branch in the order their first session appears, unknown branch last', () => {
    const items = [
      { id: 'a', branch: 'feature/hero' },
      { id: 'b', branch: null },
      { id: 'c', branch: 'main' },
      { id: 'd', branch: 'feature/hero' },
      { id: 'e', branch: null },
    ];
    expect(groupByBranch(items).map((g) => [g.label, g.branch, g.items.map((i) => i.id)])).toEqual([
      ['feature/hero', 'feature/hero', ['a', 'd']],
      ['main', 'main', ['c']],
      ['no branch', null, ['b', 'e']],
    ]);
  });

  it('makes one group when every session is on the same branch, and none for no sessions', () => {
    expect(groupByBranch([{ branch: 'main' }, { branch: 'main' }])).toHaveLength(1);
    expect(groupByBranch([])).toEqual([]);
  });
});

describe('branchLabel', () => {
  it('names the branch from either status shape and strips refs/heads/', () => {
    expect(branchLabel({ branch: 'feature/hero', head: 'abc' })).toBe('feature/hero');
    expect(branchLabel({ name: 'main', head: null })).toBe('main');
    expect(branchLabel({ branch: 'refs/heads/dev', head: null })).toBe('dev');
  });

  it('says "detached at" the short commit for a detached HEAD, and null when nothing is known', () => {
    expect(branchLabel({ branch: null, head: '0123456789abcdef0123456789abcdef01234567' })).toBe(
      'detached at 0123456',
    );
    expect(branchLabel({ branch: null, head: null })).toBeNull();
    expect(branchLabel(null)).toBeNull();
    expect(branchLabel('main')).toBeNull();
  });

  it('puts the branch on each session card', () => {
    const r = report([
      session({ branch: { branch: 'feature/hero', head: 'abc' } }),
      session({ sessionId: 'abcdef01', branch: null }),
    ]);
    const state = buildViewState({
      role: 'leader',
      roleDetail: '',
      bridgeUrl: null,
      appliedBy: 'extension',
      report: r,
      lineOf: () => null,
    });
    expect(state.sessions.map((s) => [s.sessionId, s.branch])).toEqual([
      ['5eed1234', 'feature/hero'],
      ['abcdef01', null],
    ]);
  });
});
