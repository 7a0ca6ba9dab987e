// Which record holds an eventId (R4's "eventId was not accepted before", and W3's duplicate appends). A key
// is either a string or, for a record not built, its eventId's bytes (always plain ASCII, see
// canonicalLine.ts) copied into one growing arena: recovery never makes a string or a Map entry per line. Open addressing with linear probing over an Int32Array; FNV-1a hashes over bytes and over UTF-16
// code units agree on ASCII, so both kinds of key meet in one table. Each table starts its hash from a random
// seed and mixes the result, so eventIds chosen to collide (a client flooding one slot) cannot be prepared.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Where the table finds the string keys: the records built so far. */
export interface StringKeys {
  /** The eventId of record `index` if it is held as a string, else undefined (its key is bytes). */
  stringKey(index: number): string | undefined;
}

/** The finaliser of MurmurHash3: every input bit reaches the low bits the table masks. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hashBytes(seed: number, buf: Uint8Array, start: number, end: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  return mix(h);
}

function hashString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return mix(h);
}

export class EventIdTable {
  /** Record index + 1 per slot; 0 is empty. Always at most half full. */
  private slots: Int32Array;
  private size = 0;
  // Per record index: its key's hash, and where its key is in `arena` while it is not a string.
  private hashes: Int32Array;
  private keyStarts: Uint32Array;
  private keyEnds: Uint32Array;
  /** The bytes of the keys added by addBytes, end to end; `arenaUsed` of them are taken. */
  private arena: Buffer | undefined;
  private arenaUsed = 0;
  private readonly seed = (FNV_OFFSET ^ (Math.random() * 0x100000000)) | 0;

  constructor(
    private readonly strings: StringKeys,
    capacity: number,
  ) {
    // A power of two for the mask, at least the column capacity (which over-estimates the records of a
    // journal being read): few rehashes during recovery.
    this.slots = new Int32Array(2 ** Math.max(10, Math.ceil(Math.log2(capacity))));
    this.hashes = new Int32Array(capacity);
    this.keyStarts = new Uint32Array(capacity);
    this.keyEnds = new Uint32Array(capacity);
  }

  /** The record index holding `eventId`, or -1. */
  find(eventId: string): number {
    const mask = this.slots.length - 1;
    const h = hashString(this.seed, eventId);
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const entry = this.slots[s] - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === h && this.keyEquals(entry, eventId)) return entry;
    }
  }

  /**
   * Adds record `index` under the eventId in `buf[start, end)` (plain ASCII; the table keeps a copy) unless
   * a record holds it already: returns -1 when added, else that record's index (and adds nothing).
   */
  addBytes(index: number, buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(this.seed, buf, start, end);
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (; ; s = (s + 1) & mask) {
      const entry = this.slots[s] - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === h && this.bytesEqual(entry, buf, start, end)) return entry;
    }
    this.ensureIndex(index);
    const length = end - start;
    if (this.arena === undefined || this.arenaUsed + length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(
        Math.max(4096, 2 * (this.arena?.length ?? 0), this.arenaUsed + length),
      );
      this.arena?.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
    }
    const arena = this.arena;
    // A byte loop: eventIds are short, and a subarray per line costs more than copying it.
    for (let k = 0, at = this.arenaUsed; k < length; k++) arena[at + k] = buf[start + k];
    this.keyStarts[index] = this.arenaUsed;
    this.keyEnds[index] = this.arenaUsed + length;
    this.arenaUsed += length;
    this.insert(s, index, h);
    return -1;
  }

  /**
   * Adds record `index` under `eventId` unless a record holds it: -1 when added, else that record's index.
   * From then on `strings.stringKey(index)` must answer `eventId`.
   */
  add(index: number, eventId: string): number {
    const h = hashString(this.seed, eventId);
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (; ; s = (s + 1) & mask) {
      const entry = this.slots[s] - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === h && this.keyEquals(entry, eventId)) return entry;
    }
    this.ensureIndex(index);
    this.insert(s, index, h);
    return -1;
  }

  /** The eventId of record `index`, added by addBytes, made into a string. */
  bytesKey(index: number): string {
    return (this.arena as Buffer).toString('latin1', this.keyStarts[index], this.keyEnds[index]);
  }

  /** Called once every key is a string (`strings` answers for each): the copied bytes can go. */
  releaseBytes(): void {
    this.arena = undefined;
    this.arenaUsed = 0;
  }

  private insert(slot: number, index: number, h: number): void {
    this.hashes[index] = h;
    this.slots[slot] = index + 1;
    if (++this.size * 2 > this.slots.length) this.rehash();
  }

  private ensureIndex(index: number): void {
    if (index >= this.hashes.length) {
      const capacity = Math.max(index + 1, this.hashes.length * 2);
      const hashes = new Int32Array(capacity);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const starts = new Uint32Array(capacity);
      starts.set(this.keyStarts);
      this.keyStarts = starts;
      const ends = new Uint32Array(capacity);
      ends.set(this.keyEnds);
      this.keyEnds = ends;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const entry = old[i] - 1;
      if (entry < 0) continue;
      let s = this.hashes[entry] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = entry + 1;
    }
    this.slots = slots;
  }

  private keyEquals(entry: number, eventId: string): boolean {
    const key = this.strings.stringKey(entry);
    if (key !== undefined) return key === eventId;
    const buf = this.arena as Buffer;
    const start = this.keyStarts[entry];
    if (this.keyEnds[entry] - start !== eventId.length) return false;
    for (let k = 0; k < eventId.length; k++) if (buf[start + k] !== eventId.charCodeAt(k)) return false;
    return true;
  }

  private bytesEqual(entry: number, buf: Uint8Array, start: number, end: number): boolean {
    const key = this.strings.stringKey(entry);
    if (key !== undefined) {
      if (key.length !== end - start) return false;
      for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== buf[start + k]) return false;
      return true;
    }
    const arena = this.arena as Buffer;
    const other = this.keyStarts[entry];
    if (this.keyEnds[entry] - other !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (arena[other + k] !== buf[start + k]) return false;
    return true;
  }
}
