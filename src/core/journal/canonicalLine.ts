// The fast path of R2 (d)–(e) of docs/journal-format.md, for a line in exactly the form encodeRecord writes
// with plain strings:
//
//   {"v":1,"seq":<1-15 digits>,"eventId":"<s>","type":"<s>","at":"<s>","data":{…},"crc":"<8 hex>"}
//
// where each <s> is one or more printable ASCII bytes other than `"` and `\`. Such a line parses as JSON to
// an object with exactly the keys R2 (e) asks for, in order, with v = 1, a positive safe-integer seq,
// non-empty strings and an object `data`, as soon as `data` is JSON; so checking its bytes proves what
// JSON.parse plus the shape check would, and the record itself can be built later, when it is read. Any
// other line (escapes, non-ASCII text, whitespace, a different key order…) is not canonical and goes through
// the full decode (decodeRecord): this path only ever says "yes, same answer" or "ask JSON.parse".
import { isJsonText } from './jsonSyntax';
import { RECORD_START } from './recordFrame';

const AFTER_SEQ = Buffer.from(',"eventId":"');
const AFTER_EVENT_ID = Buffer.from('","type":"');
const AFTER_TYPE = Buffer.from('","at":"');
const AFTER_AT = Buffer.from('","data":');
/** More digits could exceed Number.MAX_SAFE_INTEGER (16 digits); such a seq takes the full decode. */
const MAX_SEQ_DIGITS = 15;

/** Where the fields of a canonical line are: [start, end) byte ranges of the string values. */
export interface CanonicalFields {
  seq: number;
  eventIdStart: number;
  eventIdEnd: number;
  typeStart: number;
  typeEnd: number;
  atStart: number;
  atEnd: number;
  /** `data` is `buf[dataStart, crcAt)`. */
  dataStart: number;
}

export function emptyFields(): CanonicalFields {
  return {
    seq: 0,
    eventIdStart: 0,
    eventIdEnd: 0,
    typeStart: 0,
    typeEnd: 0,
    atStart: 0,
    atEnd: 0,
    dataStart: 0,
  };
}

function matchBytes(buf: Uint8Array, i: number, token: Uint8Array, limit: number): number {
  if (i < 0 || i + token.length > limit) return -1;
  for (let k = 0; k < token.length; k++) if (buf[i + k] !== token[k]) return -1;
  return i + token.length;
}

/** The index of the closing quote of a non-empty string of printable ASCII without escapes, or -1. */
function plainStringEnd(buf: Uint8Array, i: number, limit: number): number {
  const first = i;
  while (i < limit) {
    const b = buf[i];
    if (b === 0x22) return i === first ? -1 : i;
    if (b < 0x20 || b > 0x7f || b === 0x5c) return -1;
    i++;
  }
  return -1;
}

/**
 * Whether the line `buf[start, crcAt)` + its crc field (already checked by checkFrame) is canonical; if so,
 * `out` says where its fields are. `checkData` false skips the JSON syntax check of `data`, for a line that
 * was accepted before (the journal re-scans a line to build its record).
 */
export function scanCanonicalLine(
  buf: Uint8Array,
  start: number,
  crcAt: number,
  out: CanonicalFields,
  checkData: boolean,
): boolean {
  let i = matchBytes(buf, start, RECORD_START, crcAt);
  if (i < 0 || i >= crcAt || buf[i] < 0x31 || buf[i] > 0x39) return false;
  let seq = 0;
  const digits = i;
  while (i < crcAt && buf[i] >= 0x30 && buf[i] <= 0x39) {
    seq = seq * 10 + (buf[i] - 0x30);
    i++;
  }
  if (i - digits > MAX_SEQ_DIGITS) return false;
  const eventIdStart = matchBytes(buf, i, AFTER_SEQ, crcAt);
  const eventIdEnd = eventIdStart < 0 ? -1 : plainStringEnd(buf, eventIdStart, crcAt);
  const typeStart = matchBytes(buf, eventIdEnd, AFTER_EVENT_ID, crcAt);
  const typeEnd = typeStart < 0 ? -1 : plainStringEnd(buf, typeStart, crcAt);
  const atStart = matchBytes(buf, typeEnd, AFTER_TYPE, crcAt);
  const atEnd = atStart < 0 ? -1 : plainStringEnd(buf, atStart, crcAt);
  const dataStart = matchBytes(buf, atEnd, AFTER_AT, crcAt);
  if (dataStart < 0 || crcAt - dataStart < 2 || buf[dataStart] !== 0x7b || buf[crcAt - 1] !== 0x7d) {
    return false;
  }
  if (checkData && !isJsonText(buf, dataStart, crcAt)) return false;
  out.seq = seq;
  out.eventIdStart = eventIdStart;
  out.eventIdEnd = eventIdEnd;
  out.typeStart = typeStart;
  out.typeEnd = typeEnd;
  out.atStart = atStart;
  out.atEnd = atEnd;
  out.dataStart = dataStart;
  return true;
}
