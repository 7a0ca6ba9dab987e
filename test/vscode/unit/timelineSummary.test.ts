import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../../src/core/journal';
import { timelineRow } from '../../../src/extension/timelineSummary';

function rec(seq: number, type: string, data: Record<string, unknown>): JournalRecord {
  return { v: 1, seq, eventId: `e${seq}`, type, at: '2026-01-01T10:11:12.000Z', data };
}

describe('timelineRow', () => {
  it.each([
    [
      rec(1, 'browser.generate', { count: 3, element: { tag: 'h1' }, prompt: 'bolder' }),
      'generate 3 variants of <h1>: bolder',
    ],
    [rec(2, 'work.acked', { kind: 'generate', result: { type: 'done' } }), 'generate acked: done'],
    [
      rec(3, 'browser.checkpoint', { variant: '2', params: { tone: 0.4 }, revision: 7 }),
      'showing variant 2 (tone=0.4) (revision 7)',
    ],
    [rec(4, 'browser.accept', { variant: '2', by: 'vscode' }), 'accepted variant 2 in vscode'],
    [
      rec(5, 'accept.applied', { variant: '2', by: 'vscode', carbonize: true, edit: { file: 'index.html' } }),
      'variant 2 applied in index.html by vscode; cleanup owed',
    ],
    [
      rec(6, 'discard.applied', { edit: { file: 'a.html' }, by: 'bridge' }),
      'original restored in a.html by bridge',
    ],
    [rec(7, 'cleanup.completed', { synthetic: true }), 'complete (source found clean)'],
    [rec(8, 'session.strand', { reason: 'lease_expired' }), 'stranded: lease_expired'],
    [rec(9, 'work.requeued', { enqueue: { kind: 'generate' } }), 'generate owed again'],
    [rec(10, 'source.variants_seen', { count: 2, file: 'x.tsx' }), '2 variants in x.tsx'],
    [rec(11, 'something.new', {}), 'something.new'],
  ])('summarises %j', (record, summary) => {
    expect(timelineRow(record)).toEqual({
      seq: record.seq,
      at: record.at,
      type: record.type,
      summary,
      problem: false,
    });
  });

  it('flags rejected events, agent errors and refused acks as problems', () => {
    expect(timelineRow(rec(1, 'diagnostic', { code: 'stale_checkpoint', message: 'older' }))).toMatchObject({
      summary: 'stale_checkpoint: older',
      problem: true,
    });
    expect(timelineRow(rec(2, 'agent.error', { message: 'no file' })).problem).toBe(true);
    expect(
      timelineRow(
        rec(3, 'work.acked', { kind: 'accept', result: { type: 'done' }, code: 'transition_rejected' }),
      ),
    ).toMatchObject({
      summary: 'accept acked: done (transition_rejected)',
      problem: true,
    });
  });

  it('never trusts the shape of record data', () => {
    const row = timelineRow(
      rec(1, 'browser.generate', { count: { evil: true }, element: 'nope', prompt: 42 }),
    );
    expect(row.summary).toBe('generate [object Object] variants of <element>');
    expect(timelineRow(rec(2, 'accept.applied', { edit: [1, 2] })).summary).toBe('variant ? applied');
  });

  it('shortens long summaries', () => {
    const row = timelineRow(rec(1, 'agent.error', { message: 'x'.repeat(500) }));
    expect(row.summary.length).toBe(120);
    expect(row.summary.endsWith('…')).toBe(true);
  });
});
