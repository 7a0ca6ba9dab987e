// An agent's log as the view holds it: the most recent `capacity` lines, and the ones matching the filter.
// Pure (no DOM), so filtering and eviction are unit-tested. Appending costs O(new lines) whatever the
// filter; changing the filter is one pass; the oldest lines are evicted in chunks, so a steady stream
// costs amortised O(1) per line.
import type { LogEntry } from './protocol';

export const LOG_CAPACITY = 20_000;

export class LogBuffer {
  /** `entries[0]` is line number `base` of everything ever appended. */
  private entries: LogEntry[] = [];
  private base = 0;
  /** Absolute numbers of the matching lines, ascending; null while there is no filter. */
  private matches: number[] | null = null;
  private needle = '';
  private evicted = 0;

  constructor(private readonly capacity = LOG_CAPACITY) {}

  /** Lines shown (matching the filter). */
  get length(): number {
    return this.matches ? this.matches.length : this.entries.length;
  }

  /** Lines held, matching or not. */
  get held(): number {
    return this.entries.length;
  }

  /** Lines dropped because the buffer was full. */
  get dropped(): number {
    return this.evicted;
  }

  get filter(): string {
    return this.needle;
  }

  /** The i-th shown line. */
  at(i: number): LogEntry | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.matches ? this.entries[this.matches[i] - this.base] : this.entries[i];
  }

  append(lines: readonly LogEntry[]): void {
    for (const line of lines) {
      const n = this.base + this.entries.length;
      this.entries.push(line);
      if (this.matches && this.matchesNeedle(line)) this.matches.push(n);
    }
    if (this.entries.length > this.capacity) {
      // Evict down to 90% at once: one splice per tenth of the capacity instead of one per line.
      const drop = this.entries.length - Math.floor(this.capacity * 0.9);
      this.entries.splice(0, drop);
      this.base += drop;
      this.evicted += drop;
      if (this.matches) {
        let k = 0;
        while (k < this.matches.length && this.matches[k] < this.base) k++;
        if (k > 0) this.matches.splice(0, k);
      }
    }
  }

  /** Case-insensitive substring filter on the text; blank shows everything. Gap marks always show. */
  setFilter(text: string): void {
    const needle = text.trim().toLowerCase();
    if (needle === this.needle) return;
    this.needle = needle;
    if (needle === '') {
      this.matches = null;
      return;
    }
    const matches: number[] = [];
    this.entries.forEach((e, i) => {
      if (this.matchesNeedle(e)) matches.push(this.base + i);
    });
    this.matches = matches;
  }

  clear(): void {
    this.entries = [];
    this.base = 0;
    this.evicted = 0;
    if (this.matches) this.matches = [];
  }

  private matchesNeedle(e: LogEntry): boolean {
    return e.gap || e.text.toLowerCase().includes(this.needle);
  }
}
