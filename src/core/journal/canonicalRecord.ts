// Builds the record of a canonical line (canonicalLine.ts) from its bytes: exactly what JSON.parse of the
// whole line gives, without its crc. Only `data` goes through JSON.parse; the framing was checked by bytes.
import type { CanonicalFields } from './canonicalLine';
import type { JournalRecord } from './types';

export class CanonicalRecordBuilder {
  // Consecutive records mostly share `type` (and often `at`): one string for each run of equal values.
  private lastType = '';
  private lastAt = '';

  /**
   * The record of the canonical line whose fields are `f` (its crc field starts at `crcAt`), or undefined
   * when its data is not JSON after all (recovery then parses the whole line to say why).
   */
  build(buf: Buffer, f: CanonicalFields, crcAt: number, eventId: string): JournalRecord | undefined {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(buf.toString('utf8', f.dataStart, crcAt));
    } catch {
      return undefined;
    }
    if (!asciiEquals(this.lastType, buf, f.typeStart, f.typeEnd)) {
      this.lastType = buf.toString('latin1', f.typeStart, f.typeEnd);
    }
    if (!asciiEquals(this.lastAt, buf, f.atStart, f.atEnd)) {
      this.lastAt = buf.toString('latin1', f.atStart, f.atEnd);
    }
    return { v: 1, seq: f.seq, eventId, type: this.lastType, at: this.lastAt, data };
  }
}

/** Whether `s` spells `buf[start, end)` (canonical strings are printable ASCII, one byte per character). */
function asciiEquals(s: string, buf: Buffer, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) !== buf[start + k]) return false;
  return true;
}
