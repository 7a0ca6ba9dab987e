// One journal line, both ways (docs/journal-format.md "Record framing" and "Checksum").
//
//   body = JSON.stringify({v:1, seq, eventId, type, at, data})        keys in exactly this order
//   crc  = zlib.crc32(UTF-8 bytes of body), 8 lowercase hex digits
//   line = body without its final "}" + ',"crc":"' + crc + '"}' + "\n"
//
// So the CRC covers the exact bytes of the line except the 17-byte ',"crc":"xxxxxxxx"' field: a reader
// verifies it over the raw bytes (line minus its last 18 bytes, then "}") before it parses anything, and
// any change to any byte of a line (a burst of up to 32 bits) is detected. That check is recordFrame.ts;
// decodeRecord here is the full decode by JSON.parse (canonicalLine.ts is the fast path for our own lines).
import { crc32 } from 'node:zlib';
import { checkFrame, crcHex, frameFailure } from './recordFrame';
import type { JournalRecord } from './types';

export { CRC_SUFFIX_LENGTH, crcHex, RECORD_START } from './recordFrame';

const RECORD_KEYS = ['v', 'seq', 'eventId', 'type', 'at', 'data', 'crc'];
const KEYS_REASON = `keys must be ${RECORD_KEYS.join(',')} in this order`;

export interface EncodedRecord {
  /** The full line, newline included. */
  line: string;
  crc: string;
}

export function encodeRecord(record: JournalRecord): EncodedRecord {
  const body = JSON.stringify({
    v: 1,
    seq: record.seq,
    eventId: record.eventId,
    type: record.type,
    at: record.at,
    data: record.data,
  });
  const crc = crcHex(crc32(body));
  return { line: `${body.slice(0, -1)},"crc":"${crc}"}\n`, crc };
}

export type DecodeResult = { ok: true; record: JournalRecord; crc: string } | { ok: false; reason: string };

/**
 * R2 of docs/journal-format.md: decodes the bytes `buf[start, end)` of one line (newline excluded) —
 * (a) long enough, (b) ends with the crc field, (c) the CRC matches the raw bytes, (d) JSON, (e) shape.
 * Never throws.
 */
export function decodeRecord(buf: Buffer, start: number, end: number): DecodeResult {
  const crc = checkFrame(buf, start, end);
  if (crc < 0) return { ok: false, reason: frameFailure(buf, start, end, crc) };
  return parseFramedRecord(buf, start, end);
}

/** R2 (d)–(e) by JSON.parse, for a line whose frame (a)–(c) checkFrame accepted. Never throws. */
export function parseFramedRecord(buf: Buffer, start: number, end: number): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  return checkShape(parsed);
}

function checkShape(parsed: unknown): DecodeResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  // for-in walks own keys in order without allocating a keys array (this runs once per line on open).
  let count = 0;
  for (const key in parsed) {
    if (key !== RECORD_KEYS[count++]) return { ok: false, reason: KEYS_REASON };
  }
  if (count !== RECORD_KEYS.length) return { ok: false, reason: KEYS_REASON };
  const r = parsed as Record<string, unknown>;
  if (r.v !== 1) return { ok: false, reason: 'v is not 1' };
  const { seq, eventId, type, at, data, crc } = r;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return { ok: false, reason: 'seq is not a positive integer' };
  }
  if (typeof eventId !== 'string' || eventId.length === 0) {
    return { ok: false, reason: 'eventId is not a string' };
  }
  if (typeof type !== 'string' || type.length === 0) return { ok: false, reason: 'type is not a string' };
  if (typeof at !== 'string' || at.length === 0) return { ok: false, reason: 'at is not a string' };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'data is not an object' };
  }
  // crc's bytes were checked before parsing; the record is everything else, in the same key order.
  return {
    ok: true,
    record: { v: 1, seq, eventId, type, at, data: data as Record<string, unknown> },
    crc: crc as string,
  };
}
