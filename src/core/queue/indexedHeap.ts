// A binary min-heap whose members are addressable by key, so a member can be removed or re-ordered in
// O(log n) (cancel, revoke, extend) instead of being left behind as a tombstone.

export class IndexedHeap<K, V> {
  private readonly keys: K[] = [];
  private readonly vals: V[] = [];
  private readonly positions = new Map<K, number>();

  /** `less(a, b)` must be a strict weak order; ties are the caller's to break (e.g. by a sequence). */
  constructor(private readonly less: (a: V, b: V) => boolean) {}

  get size(): number {
    return this.keys.length;
  }

  has(key: K): boolean {
    return this.positions.has(key);
  }

  peek(): V | undefined {
    return this.vals[0];
  }

  push(key: K, value: V): void {
    if (this.positions.has(key)) throw new Error('IndexedHeap.push: key already present');
    this.keys.push(key);
    this.vals.push(value);
    this.positions.set(key, this.keys.length - 1);
    this.siftUp(this.keys.length - 1);
  }

  pop(): V | undefined {
    if (this.keys.length === 0) return undefined;
    const top = this.vals[0];
    this.removeAt(0);
    return top;
  }

  remove(key: K): boolean {
    const i = this.positions.get(key);
    if (i === undefined) return false;
    this.removeAt(i);
    return true;
  }

  /** Re-establishes order after the caller changed what `less` reads for `key`'s value. */
  update(key: K, value: V): void {
    const i = this.positions.get(key);
    if (i === undefined) throw new Error('IndexedHeap.update: key not present');
    this.vals[i] = value;
    this.siftDown(this.siftUp(i));
  }

  private removeAt(i: number): void {
    const last = this.keys.length - 1;
    this.positions.delete(this.keys[i]);
    if (i !== last) {
      this.keys[i] = this.keys[last];
      this.vals[i] = this.vals[last];
      this.positions.set(this.keys[i], i);
    }
    this.keys.pop();
    this.vals.pop();
    if (i < this.keys.length) this.siftDown(this.siftUp(i));
  }

  private siftUp(start: number): number {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.vals[i], this.vals[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private siftDown(start: number): number {
    let i = start;
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.less(this.vals[l], this.vals[best])) best = l;
      if (r < n && this.less(this.vals[r], this.vals[best])) best = r;
      if (best === i) return i;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    const v = this.vals[a];
    this.keys[a] = this.keys[b];
    this.vals[a] = this.vals[b];
    this.keys[b] = k;
    this.vals[b] = v;
    this.positions.set(this.keys[a], a);
    this.positions.set(this.keys[b], b);
  }
}
