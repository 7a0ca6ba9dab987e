// Sessions grouped by the git branch they were started on. Pure, so the grouping is unit-tested.

export interface BranchGroup<T> {
  /** The branch, or null for sessions whose branch is unknown (no repository, or recorded before branches were). */
  branch: string | null;
  label: string;
  items: T[];
}

export const NO_BRANCH_LABEL = 'no branch';

/** Groups in the order their first session appears; the unknown-branch group always comes last. */
export function groupByBranch<T extends { branch: string | null }>(items: readonly T[]): BranchGroup<T>[] {
  const groups = new Map<string, BranchGroup<T>>();
  let unknown: BranchGroup<T> | undefined;
  for (const item of items) {
    if (item.branch === null) {
      unknown ??= { branch: null, label: NO_BRANCH_LABEL, items: [] };
      unknown.items.push(item);
      continue;
    }
    let g = groups.get(item.branch);
    if (!g) {
      g = { branch: item.branch, label: item.branch, items: [] };
      groups.set(item.branch, g);
    }
    g.items.push(item);
  }
  const out = [...groups.values()];
  if (unknown) out.push(unknown);
  return out;
}
