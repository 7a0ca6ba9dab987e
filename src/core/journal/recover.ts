// Reading a journal's bytes back into records: rules R1–R6 of docs/journal-format.md "Reading".
// (R2, decoding one record: checkFrame in recordFrame.ts, then canonicalLine.ts or decodeRecord.)
// Pure: it takes a Buffer and returns what it found; the caller decides whether to truncate (the writer)
// or only report (the read-only reader). Never throws on any input.
import { emptyFields, scanCanonicalLine } from './canonicalLine';
import { parseFramedRecord } from './recordCodec';
import { CRC_SUFFIX_LENGTH, checkFrame, frameFailure, RECORD_START } from './recordFrame';
import { RecordList } from './recordList';
import type { JournalDiagnostic, JournalRecord } from './types';

export interface RecoveredJournal {
  /** The accepted records in seq order; canonical lines are built into records when first read. */
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

/**
 * From this size on, canonical lines are checked by their bytes and built into records on first read;
 * smaller journals are decoded at once with JSON.parse, which is cheaper while the JIT has not warmed up to
 * the byte scanners (measured: the lazy path wins from about 20,000 typical records, ~4 MB).
 */
export const LAZY_DECODE_MIN_BYTES = 4 * 1024 * 1024;

export interface RecoverOptions {
  /**
   * Journals of at least this many bytes are decoded lazily (default LAZY_DECODE_MIN_BYTES; 0 always,
   * Infinity never). Either way the result is the same: the eager decode is the reference the lazy one is
   * tested against.
   */
  lazyFromBytes?: number;
}

interface Fragment {
  start: number;
  reason: string;
}

interface LineOutcome {
  accepted: number;
  bad: readonly Fragment[];
}

const NEWLINE = 0x0a;

export function recoverJournal(buf: Buffer, sessionId?: string, opts: RecoverOptions = {}): RecoveredJournal {
  const list = new RecordList(buf);
  let ends: number[] | undefined;
  const out: RecoveredJournal = {
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
    validLength: buf.length,
    maxSeq: 0,
  };
  const sid = sessionId === undefined ? {} : { sessionId };
  const fields = emptyFields();
  const eager = buf.length < (opts.lazyFromBytes ?? LAZY_DECODE_MIN_BYTES);

  // R2 then R4: a record decodes, and is accepted only when its seq exceeds every earlier one and its
  // eventId is new. A canonical line is checked by its bytes and kept as bytes; any other line that passes
  // its CRC is parsed now.
  const accept = (buf: Buffer, start: number, end: number, terminatorEnd: number): Fragment | undefined => {
    const crc = checkFrame(buf, start, end);
    if (crc < 0) return { start, reason: frameFailure(buf, start, end, crc) };
    const canonical = !eager && scanCanonicalLine(buf, start, end - CRC_SUFFIX_LENGTH, fields, true);
    let record: JournalRecord | undefined;
    if (!canonical) {
      const decoded = parseFramedRecord(buf, start, end);
      if (!decoded.ok) return { start, reason: decoded.reason };
      record = decoded.record;
    }
    const seq = record === undefined ? fields.seq : record.seq;
    if (seq <= out.maxSeq) {
      return { start, reason: `seq ${seq} does not follow seq ${out.maxSeq}` };
    }
    const first =
      record === undefined
        ? list.tryAddLine(seq, crc, start, terminatorEnd, fields.eventIdStart, fields.eventIdEnd)
        : list.tryAddRecord(record, crc, terminatorEnd);
    if (first >= 0) {
      const eventId = JSON.stringify(list.eventIdAt(first));
      return { start, reason: `eventId ${eventId} repeats seq ${list.seqAt(first)}` };
    }
    out.maxSeq = seq;
    return undefined;
  };

  // R1: lines are split at every 0x0A byte; line numbers count from 1.
  let pos = 0;
  let lineNo = 0;
  while (pos < buf.length) {
    lineNo++;
    const nl = buf.indexOf(NEWLINE, pos);
    if (nl === -1) {
      // R5a: bytes after the last newline are a torn line.
      tear(out, pos, buf.length, lineNo, 'no newline at the end of the file', sid);
      break;
    }
    const lineStart = pos;
    pos = nl + 1;
    const outcome = readLine(buf, lineStart, nl, accept);
    if (pos === buf.length && outcome.accepted === 0) {
      // R5b: a last line from which no record was accepted is torn as well.
      tear(out, lineStart, buf.length, lineNo, outcome.bad[0]?.reason ?? 'unreadable', sid);
      break;
    }
    // R6: everything else that yielded no record is skipped, reported once, and left in the file.
    for (const fragment of outcome.bad) {
      out.diagnostics.push({
        code: 'corrupt_line_skipped',
        ...sid,
        line: lineNo,
        offset: fragment.start,
        message: `Line ${lineNo} at byte ${fragment.start}: ${fragment.reason}; skipped.`,
      });
    }
  }
  return out;
}

function tear(
  out: RecoveredJournal,
  start: number,
  end: number,
  lineNo: number,
  reason: string,
  sid: { sessionId?: string },
): void {
  out.torn = { offset: start, length: end - start, line: lineNo };
  out.validLength = start;
  out.diagnostics.push({
    code: 'torn_tail_truncated',
    ...sid,
    line: lineNo,
    offset: start,
    message: `Torn last line ${lineNo} at byte ${start} (${end - start} bytes: ${reason}).`,
  });
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
