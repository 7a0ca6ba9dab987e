// The accepted records of one journal, in seq order. Records recovered from canonical lines (see
// canonicalLine.ts) are kept as a position in the journal's bytes plus what recovery needs (seq, crc, end
// offset, eventId as bytes) and built into JournalRecord objects only when first read: opening a long
// journal does not pay for parsing every `data`, and a caller that replays a snapshot's tail only builds
// the tail. Building a record from its bytes gives exactly what JSON.parse of the line would.
import { type CanonicalFields, emptyFields, scanCanonicalLine } from './canonicalLine';
import { EventIdTable, type StringKeys } from './eventIdTable';
import { CRC_SUFFIX_LENGTH, crcHex } from './recordFrame';
import type { JournalRecord } from './types';

/** Initial column capacity: one slot per this many bytes of journal (records are usually longer). */
const BYTES_PER_SLOT = 128;

export class RecordList implements StringKeys {
  private count = 0;
  // Columns, one slot per record: typed arrays sized from the journal's length, doubled when full.
  private seqs: Float64Array;
  private endOffsets: Float64Array;
  private crcValues: Uint32Array;
  /** For a record not built yet, the offset of its line in `bytes`. */
  private lineStarts: Float64Array;
  /** Records 0 … prefix.length - 1, built: what `all()` returns once every record is built. */
  private readonly prefix: JournalRecord[] = [];
  /** Built records past the prefix (parsed at recovery, read early, or appended), by index. */
  private readonly scattered = new Map<number, JournalRecord>();
  private readonly eventIds: EventIdTable;
  private unbuilt = 0;
  /** The journal's bytes, kept while some record is not built yet. The caller must not change them. */
  private bytes: Buffer | undefined;
  private readonly fields: CanonicalFields = emptyFields();
  // Consecutive records mostly share `type` (and often `at`): one string for each run of equal bytes.
  private lastType = '';
  private lastTypeStart = -1;
  private lastTypeLength = 0;
  private lastAt = '';
  private lastAtStart = -1;
  private lastAtLength = 0;

  constructor(bytes?: Buffer) {
    this.bytes = bytes;
    const capacity = Math.max(16, Math.ceil((bytes?.length ?? 0) / BYTES_PER_SLOT));
    this.seqs = new Float64Array(capacity);
    this.endOffsets = new Float64Array(capacity);
    this.crcValues = new Uint32Array(capacity);
    this.lineStarts = new Float64Array(capacity);
    this.eventIds = new EventIdTable(this, bytes, capacity);
  }

  get length(): number {
    return this.count;
  }

  /** A copy of every record's end: the byte offset just past its one-byte terminator ("\n" when intact). */
  endsArray(): number[] {
    return Array.from(this.endOffsets.subarray(0, this.count));
  }

  seqAt(index: number): number {
    return this.seqs[index];
  }

  endAt(index: number): number {
    return this.endOffsets[index];
  }

  /** The record's crc field (8 lowercase hex digits). */
  crcAt(index: number): string {
    return crcHex(this.crcValues[index]);
  }

  /** Records still held as bytes (not read yet). */
  get unbuiltCount(): number {
    return this.unbuilt;
  }

  get lastSeq(): number {
    return this.count === 0 ? 0 : this.seqs[this.count - 1];
  }

  /**
   * Adds a record held as bytes: the canonical line of the constructor's buffer at `lineStart`, whose
   * eventId is `bytes[idStart, idEnd)` — unless a record holds that eventId already: returns -1 when added,
   * else the index of that record (and adds nothing).
   */
  tryAddLine(
    seq: number,
    crc: number,
    lineStart: number,
    end: number,
    idStart: number,
    idEnd: number,
  ): number {
    const existing = this.eventIds.addBytes(this.count, idStart, idEnd);
    if (existing >= 0) return existing;
    const i = this.push(seq, crc, end);
    this.lineStarts[i] = lineStart;
    this.unbuilt++;
    return -1;
  }

  /** Adds a record already built, unless its eventId is taken: -1 when added, else the holder's index. */
  tryAddRecord(record: JournalRecord, crc: number, end: number): number {
    const existing = this.eventIds.add(this.count, record.eventId);
    if (existing >= 0) return existing;
    this.keep(this.push(record.seq, crc, end), record);
    return -1;
  }

  /** The index of the record with this eventId, or -1. */
  indexOfEventId(eventId: string): number {
    return this.eventIds.find(eventId);
  }

  eventIdAt(index: number): string {
    return this.stringKey(index) ?? this.eventIds.bytesKey(index);
  }

  /** StringKeys: a built record's eventId. */
  stringKey(index: number): string | undefined {
    return this.builtAt(index)?.eventId;
  }

  /** The record at `index`, built on first read. */
  at(index: number): JournalRecord {
    let record = this.builtAt(index);
    if (record === undefined) {
      record = this.build(index);
      this.keep(index, record);
    }
    return record;
  }

  /** Records from `from` to the end, as a new array. */
  slice(from: number): JournalRecord[] {
    const out: JournalRecord[] = [];
    for (let i = Math.max(0, from); i < this.count; i++) out.push(this.at(i));
    return out;
  }

  /** Every record, built; the array is this list's own and grows as records are added. */
  all(): JournalRecord[] {
    const prefix = this.prefix;
    for (let i = prefix.length; i < this.count; i++) {
      const record = this.scattered.get(i) ?? this.build(i);
      prefix.push(record);
    }
    this.scattered.clear();
    return prefix;
  }

  /** Index of the record with `seq` (seqs strictly increase), or -1. */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.seqs[mid];
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private builtAt(index: number): JournalRecord | undefined {
    return index < this.prefix.length ? this.prefix[index] : this.scattered.get(index);
  }

  private keep(index: number, record: JournalRecord): void {
    if (index === this.prefix.length) this.prefix.push(record);
    else this.scattered.set(index, record);
  }

  /** Appends the columns of a new record; returns its index. */
  private push(seq: number, crc: number, end: number): number {
    if (this.count === this.seqs.length) this.grow();
    const i = this.count++;
    this.seqs[i] = seq;
    this.crcValues[i] = crc;
    this.endOffsets[i] = end;
    return i;
  }

  private grow(): void {
    const capacity = this.seqs.length * 2;
    const copy = <T extends Float64Array | Uint32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.seqs = copy(this.seqs, new Float64Array(capacity));
    this.endOffsets = copy(this.endOffsets, new Float64Array(capacity));
    this.crcValues = copy(this.crcValues, new Uint32Array(capacity));
    this.lineStarts = copy(this.lineStarts, new Float64Array(capacity));
  }

  /** Builds record `index` from its line (the caller keeps it). */
  private build(index: number): JournalRecord {
    const buf = this.bytes;
    const start = this.lineStarts[index];
    const f = this.fields;
    // The line ends just before its terminator; its crc field is the last CRC_SUFFIX_LENGTH bytes.
    const crcAt = this.endOffsets[index] - 1 - CRC_SUFFIX_LENGTH;
    if (buf === undefined || !scanCanonicalLine(buf, start, crcAt, f, false)) {
      // Only a changed buffer can get here: recovery accepted this exact line as canonical.
      throw new Error(`journal record ${this.seqs[index]} can no longer be read from its bytes`);
    }
    const record: JournalRecord = {
      v: 1,
      seq: f.seq,
      eventId: this.eventIds.bytesKey(index),
      type: this.typeAt(buf, f.typeStart, f.typeEnd),
      at: this.atAt(buf, f.atStart, f.atEnd),
      data: JSON.parse(buf.toString('utf8', f.dataStart, crcAt)),
    };
    if (--this.unbuilt === 0) {
      this.bytes = undefined;
      this.eventIds.releaseBytes();
    }
    return record;
  }

  private typeAt(buf: Buffer, start: number, end: number): string {
    if (!sameBytes(buf, this.lastTypeStart, this.lastTypeLength, start, end)) {
      this.lastType = buf.toString('latin1', start, end);
      this.lastTypeStart = start;
      this.lastTypeLength = end - start;
    }
    return this.lastType;
  }

  private atAt(buf: Buffer, start: number, end: number): string {
    if (!sameBytes(buf, this.lastAtStart, this.lastAtLength, start, end)) {
      this.lastAt = buf.toString('latin1', start, end);
      this.lastAtStart = start;
      this.lastAtLength = end - start;
    }
    return this.lastAt;
  }
}

function sameBytes(buf: Buffer, prevStart: number, prevLength: number, start: number, end: number): boolean {
  if (prevStart < 0 || end - start !== prevLength) return false;
  for (let k = 0; k < prevLength; k++) if (buf[prevStart + k] !== buf[start + k]) return false;
  return true;
}
