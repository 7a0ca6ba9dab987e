// Everything recovery reports, with the records built: what must not depend on the decode path (lazy,
// built at once, streamed from a file, or the JSON.parse reference). Shared by the unit and property tests.
import { encodeRecord } from '../../../src/core/journal/recordCodec';
import type { RecoveredJournal } from '../../../src/core/journal/recover';

/** `probeIds` are looked up before the records are built (byte keys) and after (string keys). */
export function recoverySummary(out: RecoveredJournal, probeIds: readonly string[]) {
  const list = out.recordList;
  const lookups = probeIds.map((id) => list.indexOfEventId(id));
  const records = out.records;
  return {
    lookups,
    lookupsBuilt: probeIds.map((id) => list.indexOfEventId(id)),
    records,
    lines: records.map((r) => encodeRecord(r).line),
    ends: [...out.ends],
    crcs: Array.from({ length: list.length }, (_, i) => list.crcAt(i)),
    diagnostics: out.diagnostics,
    torn: out.torn,
    validLength: out.validLength,
    maxSeq: out.maxSeq,
  };
}
