// The accepted records of one journal, in seq order. Records recovered from canonical lines (see
// canonicalLine.ts) are kept as an index entry — seq, crc, where the line is, the eventId's bytes — and
// built into JournalRecord objects from their line (LineSource: the journal's buffer, or its file) only
// when read: opening a long journal builds nothing, a replay from a snapshot builds only the tail, and a
// full replay (iterate) streams records past without holding them all. Building a record from its bytes
// gives exactly what JSON.parse of the line would.
import { LiveVariantsError } from '../errors';
import { type CanonicalFields, emptyFields, scanCanonicalLine } from './canonicalLine';
import { CanonicalRecordBuilder } from './canonicalRecord';
import { EventIdTable, type StringKeys } from './eventIdTable';
import type { LineSource, LineWindow } from './lineSource';
import { CRC_SUFFIX_LENGTH, checkFrame, crcHex } from './recordFrame';
import type { JournalRecord } from './types';

/** Initial column capacity: one slot per this many bytes of journal (records are usually longer). */
const BYTES_PER_SLOT = 128;
/** Bytes read at once when records are built in order (slice, all, iterate), and for a single record. */
const READ_AHEAD_SEQUENTIAL = 1024 * 1024;
const READ_AHEAD_SINGLE = 16 * 1024;

export class RecordList implements StringKeys {
  private count = 0;
  // Columns, one slot per record: typed arrays sized from the journal's length, doubled when full.
  private seqs: Float64Array;
  private endOffsets: Float64Array;
  private crcValues: Uint32Array;
  /** For a record not built yet, the offset of its line in the journal. */
  private lineStarts: Float64Array;
  /** Records 0 … prefix.length - 1, built: what `all()` returns once every record is built. */
  private readonly prefix: JournalRecord[] = [];
  /** Built records past the prefix (parsed at recovery, read early, or appended), by index. */
  private readonly scattered = new Map<number, JournalRecord>();
  private readonly eventIds: EventIdTable;
  /** Records kept as an index entry only (added by tryAddLine and not read through at/slice/all since). */
  private unbuilt = 0;
  /** Where unbuilt records' lines are read; released once every record is built. */
  private source: LineSource | undefined;
  private readonly fields: CanonicalFields = emptyFields();
  private readonly builder = new CanonicalRecordBuilder();
  /** Told when a record cannot be read back (the journal then stops: reopening re-recovers it). */
  onReadError: ((error: LiveVariantsError) => void) | undefined;

  /**
   * `source` holds the lines of records added by tryAddLine (at their journal offsets); `journalBytes`,
   * the journal's length, sizes the columns.
   */
  constructor(source: LineSource | undefined, journalBytes: number) {
    this.source = source;
    const capacity = Math.max(16, Math.ceil(journalBytes / BYTES_PER_SLOT));
    this.seqs = new Float64Array(capacity);
    this.endOffsets = new Float64Array(capacity);
    this.crcValues = new Uint32Array(capacity);
    this.lineStarts = new Float64Array(capacity);
    this.eventIds = new EventIdTable(this, capacity);
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
   * Adds a record kept as an index entry: the canonical line at journal offset `lineStart`, ending just
   * before its terminator at `end - 1`, whose eventId is `idBuf[idStart, idEnd)` — unless a record holds
   * that eventId already: returns -1 when added, else the index of that record (and adds nothing).
   */
  tryAddLine(
    seq: number,
    crc: number,
    lineStart: number,
    end: number,
    idBuf: Uint8Array,
    idStart: number,
    idEnd: number,
  ): number {
    const existing = this.eventIds.addBytes(this.count, idBuf, idStart, idEnd);
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
      record = this.build(index, READ_AHEAD_SINGLE);
      this.keep(index, record);
    }
    return record;
  }

  /** Records from `from` to the end, as a new array (built and kept). */
  slice(from: number): JournalRecord[] {
    const out: JournalRecord[] = [];
    for (let i = Math.max(0, from); i < this.count; i++) {
      let record = this.builtAt(i);
      if (record === undefined) {
        record = this.build(i, READ_AHEAD_SEQUENTIAL);
        this.keep(i, record);
      }
      out.push(record);
    }
    return out;
  }

  /** Every record, built and kept; the array is this list's own and grows as records are added. */
  all(): JournalRecord[] {
    const prefix = this.prefix;
    for (let i = prefix.length; i < this.count; i++) {
      let record = this.scattered.get(i);
      if (record === undefined) {
        record = this.build(i, READ_AHEAD_SEQUENTIAL);
        this.built();
      }
      prefix.push(record);
    }
    this.scattered.clear();
    return prefix;
  }

  /**
   * Records from `from` to the end, in order, without keeping the ones not built yet: what a replay
   * reads once. A record built here is a new object each time (equal, not identical).
   */
  *iterate(from = 0): IterableIterator<JournalRecord> {
    for (let i = Math.max(0, from); i < this.count; i++) {
      yield this.builtAt(i) ?? this.build(i, READ_AHEAD_SEQUENTIAL);
    }
  }

  /** After recovery: when no record is kept as an index entry only, the source is not needed. */
  releaseIfAllBuilt(): void {
    if (this.unbuilt === 0) this.release();
  }

  /** Releases the source (a file handle): records not built yet can no longer be read. */
  async close(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    await source?.close();
  }

  /** Index of the first record that ends after byte `offset` (ends strictly increase); length if none. */
  firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.endOffsets[mid] > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo;
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
    if (this.lineStarts[index] >= 0) {
      this.lineStarts[index] = -1;
      this.built();
    }
  }

  /** One more unbuilt record was built and kept; after the last one the source and key bytes can go. */
  private built(): void {
    if (--this.unbuilt === 0) this.release();
  }

  /** Every record is kept as an object: the key bytes and the source are not needed any more. */
  private release(): void {
    this.eventIds.releaseBytes();
    const source = this.source;
    this.source = undefined;
    source?.close().catch(() => undefined);
  }

  /** Appends the columns of a new record; returns its index. */
  private push(seq: number, crc: number, end: number): number {
    if (this.count === this.seqs.length) this.grow();
    const i = this.count++;
    this.seqs[i] = seq;
    this.crcValues[i] = crc;
    this.endOffsets[i] = end;
    this.lineStarts[i] = -1;
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

  /** Builds record `index` from its line (the caller decides whether to keep it). */
  private build(index: number, ahead: number): JournalRecord {
    const start = this.lineStarts[index];
    // The line ends just before its terminator; its crc field is the last CRC_SUFFIX_LENGTH bytes.
    const end = this.endOffsets[index] - 1;
    const source = this.source;
    if (source === undefined || start < 0) {
      throw new LiveVariantsError(
        'journal_closed',
        `Record ${this.seqs[index]} of the journal cannot be read: the journal is closed.`,
      );
    }
    let read: LineWindow;
    try {
      read = source.window(start, end, ahead);
    } catch (e) {
      if (e instanceof LiveVariantsError) this.onReadError?.(e);
      throw e;
    }
    const { buf, delta } = read;
    const s = start - delta;
    const e = end - delta;
    const crcAt = e - CRC_SUFFIX_LENGTH;
    const f = this.fields;
    // Recovery accepted exactly this line; a file may have been changed since (by something else).
    const same = !source.mutable || checkFrame(buf, s, e) === this.crcValues[index];
    const record =
      same && scanCanonicalLine(buf, s, crcAt, f, false)
        ? this.builder.build(buf, f, crcAt, this.eventIds.bytesKey(index))
        : undefined;
    if (record === undefined) {
      const changed = new LiveVariantsError(
        'journal_changed',
        `Record ${this.seqs[index]} of the journal changed on disk after it was opened; reopen the session.`,
      );
      this.onReadError?.(changed);
      throw changed;
    }
    return record;
  }
}
