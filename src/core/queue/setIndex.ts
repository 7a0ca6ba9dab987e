// A secondary index key → set of item ids (by session, by lease holder); empty sets are dropped so the
// index never outgrows what is pending.
export class SetIndex {
  private readonly map = new Map<string, Set<string>>();

  add(key: string, id: string): void {
    const set = this.map.get(key);
    if (set === undefined) this.map.set(key, new Set([id]));
    else set.add(id);
  }

  delete(key: string, id: string): void {
    const set = this.map.get(key);
    if (set === undefined) return;
    set.delete(id);
    if (set.size === 0) this.map.delete(key);
  }

  /** A snapshot of the ids under key, safe to iterate while the index changes. */
  get(key: string): string[] {
    const set = this.map.get(key);
    return set === undefined ? [] : [...set];
  }
}
