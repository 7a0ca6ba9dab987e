// One line per journal record for the Live Sessions timeline. Pure: the record's data is untrusted JSON from
// disk, so every field is checked before it is shown.
import type { TimelineRow } from '../../webview-ui/protocol';
import type { JournalRecord } from '../core/journal';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function params(v: unknown): string {
  const entries = Object.entries(obj(v));
  if (entries.length === 0) return '';
  return ` (${entries
    .slice(0, 4)
    .map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`)
    .join(', ')}${entries.length > 4 ? ', …' : ''})`;
}

function describe(type: string, d: Record<string, unknown>): string {
  switch (type) {
    case 'browser.generate': {
      const el = obj(d.element);
      const tag = str(el.tag) ?? 'element';
      const prompt = str(d.prompt);
      return `generate ${d.count ?? '?'} variants of <${tag}>${prompt ? `: ${prompt}` : ''}`;
    }
    case 'browser.checkpoint':
      return `showing variant ${d.variant ?? '?'}${params(d.params)} (revision ${d.revision ?? '?'})`;
    case 'browser.accept':
      return `accepted variant ${d.variant ?? '?'}${params(d.params)}${str(d.by) ? ` in ${d.by}` : ''}`;
    case 'browser.discard':
      return `discarded${str(d.by) ? ` in ${d.by}` : ''}`;
    case 'browser.exit':
      return 'closed the live UI';
    case 'source.wrapped':
      return `wrapper in ${str(d.file) ?? 'source'}`;
    case 'source.variants_seen':
      return `${d.count ?? '?'} variants in ${str(d.file) ?? 'source'}`;
    case 'agent.done':
      return `agent done${d.count !== undefined ? `: ${d.count} variants` : ''}${str(d.file) ? ` in ${d.file}` : ''}`;
    case 'agent.error':
      return `agent error: ${str(d.message) ?? ''}`;
    case 'agent.retry':
      return `agent retry${str(d.reason) ? `: ${d.reason}` : ''}`;
    case 'agent.complete':
      return 'agent completed';
    case 'agent.discarded':
      return 'agent restored the original';
    case 'accept.applied': {
      const edit = obj(d.edit);
      const where = str(edit.file) ? ` in ${edit.file}` : '';
      return `variant ${d.variant ?? '?'} applied${where}${str(d.by) ? ` by ${d.by}` : ''}${d.carbonize === true ? '; cleanup owed' : ''}`;
    }
    case 'discard.applied': {
      const edit = obj(d.edit);
      return `original restored${str(edit.file) ? ` in ${edit.file}` : ''}${str(d.by) ? ` by ${d.by}` : ''}`;
    }
    case 'cleanup.completed':
      return d.synthetic === true ? 'complete (source found clean)' : 'complete';
    case 'session.strand':
      return `stranded: ${str(d.reason) ?? 'interrupted'}`;
    case 'session.resume':
      return 'resumed';
    case 'work.acked': {
      const result = obj(d.result);
      const code = str(d.code);
      return `${str(d.kind) ?? 'work'} acked: ${str(result.type) ?? '?'}${code ? ` (${code})` : ''}`;
    }
    case 'work.requeued':
      return `${str(obj(d.enqueue).kind) ?? 'work'} owed again`;
    case 'work.dead_lettered':
      return `work ${str(d.itemId) ?? ''} given up after ${d.attempts ?? '?'} attempts`;
    case 'diagnostic':
      return `${str(d.code) ?? 'diagnostic'}: ${str(d.message) ?? ''}`;
    default:
      return type;
  }
}

export function timelineRow(record: JournalRecord): TimelineRow {
  const d = obj(record.data);
  const problem =
    record.type === 'diagnostic' || record.type === 'agent.error' || record.type === 'work.dead_lettered';
  return {
    seq: record.seq,
    at: record.at,
    type: record.type,
    summary: clip(describe(record.type, d)),
    problem: problem || (record.type === 'work.acked' && str(d.code) !== undefined),
  };
}
