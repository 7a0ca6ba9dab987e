import { describe, expect, it } from 'vitest';
import { LIMITS, parseAgentResult } from '../../../src/core/protocol';

function expectRefused(input: unknown, error: string, field?: string): void {
  const result = parseAgentResult(input);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  expect({ error: result.error.error, field: result.error.field }).toEqual({ error, field });
}

describe('parseAgentResult', () => {
  it('parses each result type, stripping unknown fields', () => {
    expect(parseAgentResult({ type: 'done', file: 'src/App.tsx', count: 3, extra: true })).toEqual({
      ok: true,
      value: { type: 'done', file: 'src/App.tsx', count: 3 },
    });
    expect(parseAgentResult({ type: 'done' })).toEqual({ ok: true, value: { type: 'done' } });
    expect(parseAgentResult({ type: 'error', message: 'could not find the element' })).toEqual({
      ok: true,
      value: { type: 'error', message: 'could not find the element' },
    });
    expect(parseAgentResult({ type: 'complete' })).toEqual({ ok: true, value: { type: 'complete' } });
    expect(parseAgentResult({ type: 'discarded' })).toEqual({ ok: true, value: { type: 'discarded' } });
    expect(parseAgentResult({ type: 'retry', reason: 'file busy' })).toEqual({
      ok: true,
      value: { type: 'retry', reason: 'file busy' },
    });
    expect(parseAgentResult({ type: 'retry' })).toEqual({ ok: true, value: { type: 'retry' } });
  });

  it('refuses non-objects and unknown types', () => {
    expectRefused('done', 'invalid_event');
    expectRefused([{ type: 'done' }], 'invalid_event');
    expectRefused({}, 'unknown_type', 'type');
    expectRefused({ type: 'generate' }, 'unknown_type', 'type');
  });

  it('validates done fields', () => {
    expectRefused({ type: 'done', file: 7 }, 'invalid_field', 'file');
    expectRefused({ type: 'done', file: 'x'.repeat(LIMITS.file + 1) }, 'invalid_field', 'file');
    expectRefused({ type: 'done', count: 0 }, 'invalid_field', 'count');
    expectRefused({ type: 'done', count: 9 }, 'invalid_field', 'count');
    expectRefused({ type: 'done', count: 1.5 }, 'invalid_field', 'count');
  });

  it('requires an error message within its cap', () => {
    expectRefused({ type: 'error' }, 'missing_field', 'message');
    expectRefused({ type: 'error', message: { text: 'x' } }, 'invalid_field', 'message');
    expectRefused(
      { type: 'error', message: 'x'.repeat(LIMITS.errorMessage + 1) },
      'invalid_field',
      'message',
    );
  });

  it('caps the retry reason', () => {
    expectRefused({ type: 'retry', reason: 'x'.repeat(LIMITS.reason + 1) }, 'invalid_field', 'reason');
    expectRefused({ type: 'retry', reason: false }, 'invalid_field', 'reason');
  });

  it('names the result type in the message', () => {
    const result = parseAgentResult({ type: 'error' });
    expect(result).toEqual({
      ok: false,
      error: { error: 'missing_field', field: 'message', message: 'error result: message is required' },
    });
  });
});
