// Reading a journal's bytes back into records: rules R1–R6 of docs/journal-format.md "Reading".
// (R2, decoding one record: checkFrame in recordFrame.ts, then canonicalLine.ts or decodeRecord.)
// It takes bytes and returns what it found; the caller decides whether to truncate (the writer) or only
// report (the read-only reader). Never throws on any input.
import { emptyFields, scanCanonicalLine } from './canonicalLine';
import { CanonicalRecordBuilder } from './canonicalRecord';
import { bufferSource, type LineSource } from './lineSource';
import { parseFramedRecord } from './recordCodec';
import { CRC_SUFFIX_LENGTH, checkFrame, frameFailure, RECORD_START } from './recordFrame';
import { RecordList } from './recordList';
import type { JournalDiagnostic, JournalRecord, ReplayVisitor } from './types';

export interface RecoveredJournal {
  /** The accepted records in seq order; lines kept as bytes (lazy) are built into records when first read. */
  recordList: RecordList;
  /** Every accepted record, built (reading this builds all of them). */
  readonly records: JournalRecord[];
  /** For each record, the byte offset just past its terminator (the "\n" for an intact line), as recovered. */
  readonly ends: readonly number[];
  /** Diagnostics in file order: corrupt_line_skipped for each bad fragment, then torn_tail_truncated. */
  diagnostics: JournalDiagnostic[];
  /** The region the writer truncates away: the last line, when it is torn (R5). */
  torn: { offset: number; length: number; line: number } | undefined;
  /** Bytes that stay: the whole input, or up to the start of the torn last line. */
  validLength: number;
  /** Highest accepted seq (0 when none); the next append uses maxSeq + 1. */
  maxSeq: number;
}

export interface RecoverOptions {
  /**
   * Canonical lines (canonicalLine.ts) that end at or before this byte are checked by their bytes and kept
   * as bytes, built into records only when read: the lines a snapshot covers, which a replay from that
   * snapshot never reads. Default 0 (none). Every other canonical line is built at once, parsing only its
   * `data`; every other line is parsed whole.
   */
  lazyUpTo?: number;
  /**
   * Decode every line by JSON.parse of the whole line: the reference the other paths are tested against.
   */
  reference?: boolean;
  /**
   * Records whose line ends after `replay.from` are built and handed to `replay.visit` as they are
   * accepted; with a source to read them back from, they are then kept as index entries only.
   */
  replay?: ReplayVisitor;
}

interface Fragment {
  /** Index in the buffer being read (the file offset minus the chunk's delta). */
  start: number;
  reason: string;
}

interface LineOutcome {
  accepted: number;
  bad: readonly Fragment[];
}

const NEWLINE = 0x0a;

/** Recovers a journal held in one buffer (see JournalRecovery). Never throws on any input. */
export function recoverJournal(buf: Buffer, sessionId?: string, opts: RecoverOptions = {}): RecoveredJournal {
  const r = new JournalRecovery(sessionId, buf.length, bufferSource(buf), opts);
  const out = r.finish(r.lines(buf, 0, buf.length, 0));
  out.recordList.releaseIfAllBuilt();
  return out;
}

/**
 * R1–R6 over a journal read front to back in chunks of whole lines: recoverJournal holds it in one buffer,
 * recoverJournalFile (recoverFile.ts) streams it from disk through one reused chunk.
 */
export class JournalRecovery {
  private readonly list: RecordList;
  private readonly out: RecoveredJournal;
  private readonly sid: { sessionId?: string };
  private readonly fields = emptyFields();
  private readonly builder = new CanonicalRecordBuilder();
  private readonly reference: boolean;
  private readonly lazyUpTo: number;
  private readonly replay: ReplayVisitor | undefined;
  /** Whether records can be read back from the source, so visited ones need not be kept. */
  private readonly readsBack: boolean;
  private lineNo = 0;
  /** For the chunk being read: buf[i] is journal byte i + delta. */
  private delta = 0;

  /**
   * `total` is the journal's length in bytes; `source` reads its lines back for the records kept as index
   * entries (lazy or replayed), so without one every record is built and kept.
   */
  constructor(
    sessionId: string | undefined,
    private readonly total: number,
    source: LineSource | undefined,
    opts: RecoverOptions = {},
  ) {
    this.reference = opts.reference === true;
    this.lazyUpTo = source === undefined || this.reference ? 0 : (opts.lazyUpTo ?? 0);
    this.replay = opts.replay;
    this.readsBack = source !== undefined;
    const list = new RecordList(source, total);
    this.list = list;
    let ends: number[] | undefined;
    this.out = {
      recordList: list,
      get records() {
        return list.all();
      },
      get ends() {
        ends ??= list.endsArray();
        return ends;
      },
      diagnostics: [],
      torn: undefined,
      validLength: total,
      maxSeq: 0,
    };
    this.sid = sessionId === undefined ? {} : { sessionId };
  }

  /**
   * Reads the complete lines of `buf[from, to)`, where buf[i] is byte i + delta of the journal. Returns
   * the index just past the last newline read: the caller passes the rest again with more bytes after it.
   */
  lines(buf: Buffer, from: number, to: number, delta: number): number {
    this.delta = delta;
    let pos = from;
    while (pos < to) {
      const nl = buf.indexOf(NEWLINE, pos);
      if (nl === -1 || nl >= to) break;
      this.lineNo++;
      const lineStart = pos;
      pos = nl + 1;
      const outcome = readLine(buf, lineStart, nl, this.accept);
      if (pos + delta === this.total && outcome.accepted === 0) {
        // R5b: a last line from which no record was accepted is torn as well.
        this.tear(lineStart + delta, this.total, outcome.bad[0]?.reason ?? 'unreadable');
        break;
      }
      // R6: everything else that yielded no record is skipped, reported once, and left in the file.
      for (const fragment of outcome.bad) {
        const offset = fragment.start + delta;
        this.out.diagnostics.push({
          code: 'corrupt_line_skipped',
          ...this.sid,
          line: this.lineNo,
          offset,
          message: `Line ${this.lineNo} at byte ${offset}: ${fragment.reason}; skipped.`,
        });
      }
    }
    return pos;
  }

  /**
   * Ends recovery. `rest` is the journal offset just past the last newline read: bytes from there to the
   * end are a line without its newline, a torn line (R5a).
   */
  finish(rest: number): RecoveredJournal {
    if (rest < this.total && this.out.torn === undefined) {
      this.lineNo++;
      this.tear(rest, this.total, 'no newline at the end of the file');
    }
    return this.out;
  }

  private tear(start: number, end: number, reason: string): void {
    const out = this.out;
    out.torn = { offset: start, length: end - start, line: this.lineNo };
    out.validLength = start;
    out.diagnostics.push({
      code: 'torn_tail_truncated',
      ...this.sid,
      line: this.lineNo,
      offset: start,
      message: `Torn last line ${this.lineNo} at byte ${start} (${end - start} bytes: ${reason}).`,
    });
  }

  // R2 then R4: a record decodes, and is accepted only when its seq exceeds every earlier one and its
  // eventId is new.
  private readonly accept: Accept = (buf, start, end, terminatorEnd) => {
    const crc = checkFrame(buf, start, end);
    if (crc < 0) return { start, reason: frameFailure(buf, start, end, crc) };
    const f = this.fields;
    const list = this.list;
    const crcAt = end - CRC_SUFFIX_LENGTH;
    // By where the record ends: visited, or kept as bytes (lazy), or built and kept. A canonical line is
    // kept as an index entry (read back from the source) when it is lazy or visited.
    const recordEnd = terminatorEnd + this.delta;
    const visiting = this.replay !== undefined && recordEnd > this.replay.from;
    const lazy = !visiting && recordEnd <= this.lazyUpTo;
    let indexOnly = false;
    let record: JournalRecord | undefined;
    if (lazy) {
      indexOnly = scanCanonicalLine(buf, start, crcAt, f, true);
    } else if (!this.reference && scanCanonicalLine(buf, start, crcAt, f, false)) {
      record = this.builder.build(buf, f, crcAt, buf.toString('latin1', f.eventIdStart, f.eventIdEnd));
      indexOnly = record !== undefined && visiting && this.readsBack;
    }
    if (!indexOnly && record === undefined) {
      const decoded = parseFramedRecord(buf, start, end);
      if (!decoded.ok) return { start, reason: decoded.reason };
      record = decoded.record;
    }
    const seq = record === undefined ? f.seq : record.seq;
    if (seq <= this.out.maxSeq) {
      return { start, reason: `seq ${seq} does not follow seq ${this.out.maxSeq}` };
    }
    const first = indexOnly
      ? list.tryAddLine(seq, crc, start + this.delta, recordEnd, buf, f.eventIdStart, f.eventIdEnd)
      : list.tryAddRecord(record as JournalRecord, crc, recordEnd);
    if (first >= 0) {
      const eventId = JSON.stringify(list.eventIdAt(first));
      return { start, reason: `eventId ${eventId} repeats seq ${list.seqAt(first)}` };
    }
    this.out.maxSeq = seq;
    if (visiting) this.replay?.visit(record as JournalRecord);
    return undefined;
  };
}

type Accept = (buf: Buffer, start: number, end: number, terminatorEnd: number) => Fragment | undefined;

/** The outcome of almost every line: shared, so reading a long journal allocates nothing per line here. */
const INTACT: LineOutcome = Object.freeze({ accepted: 1, bad: Object.freeze([]) });

/** Resync gives up on a line after this many decode attempts (a line full of nested record-like text). */
const MAX_RESYNC_ATTEMPTS = 256;

/**
 * A line is first read as one record (R2). R3 (resync), only when that fails: the line may hold several
 * records whose newlines were damaged. Cut points are the line start and every later RECORD_START. From
 * a cut, the reader tries to end a record just before each later cut (that byte being the damaged
 * newline), then at the line's end; the first end that decodes wins and reading goes on from the next
 * cut. A cut from which no record decodes is garbage up to the next cut. Adjacent unreadable stretches
 * are reported as one fragment; each damaged newline between two recovered records is reported too.
 */
function readLine(buf: Buffer, start: number, end: number, accept: Accept): LineOutcome {
  if (start === end) return { accepted: 0, bad: [{ start, reason: 'empty line' }] };
  const whole = accept(buf, start, end, end + 1);
  if (whole === undefined) return INTACT;

  const cuts: number[] = [start];
  for (
    let p = buf.indexOf(RECORD_START, start + 1);
    p !== -1 && p < end;
    p = buf.indexOf(RECORD_START, p + 1)
  ) {
    cuts.push(p);
  }
  if (cuts.length === 1) return { accepted: 0, bad: [whole] };

  const bad: Fragment[] = [];
  let accepted = 0;
  let attempts = 0;
  let open: Fragment | undefined;
  let i = 0;
  while (i < cuts.length) {
    let firstFailure: Fragment | undefined;
    let next = -1;
    for (let j = i + 1; j <= cuts.length && attempts < MAX_RESYNC_ATTEMPTS; j++) {
      const isEnd = j === cuts.length;
      if (i === 0 && isEnd) break; // the whole line already failed
      attempts++;
      const failed = accept(buf, cuts[i], isEnd ? end : cuts[j] - 1, isEnd ? end + 1 : cuts[j]);
      if (failed === undefined) {
        next = j;
        break;
      }
      firstFailure ??= failed;
    }
    if (next === -1) {
      open ??= firstFailure ?? (i === 0 ? whole : { start: cuts[i], reason: 'unreadable' });
      i++;
      continue;
    }
    accepted++;
    if (open !== undefined) bad.push(open);
    // The byte that ended this record should have been a newline: report it, the record stands.
    open =
      next < cuts.length
        ? { start: cuts[next] - 1, reason: 'damaged newline between two records' }
        : undefined;
    i = next;
  }
  if (open !== undefined) bad.push(open);
  return { accepted, bad };
}
