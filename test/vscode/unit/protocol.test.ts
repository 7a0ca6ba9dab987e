import { describe, expect, it } from 'vitest';
import { MAX_TIMELINE_PAGE, parseHostMessage, parseViewMessage } from '../../../webview-ui/protocol';

describe('parseViewMessage', () => {
  it('accepts every message the view sends', () => {
    expect(parseViewMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseViewMessage({ type: 'accept', sessionId: '5eed1234', variant: '2' })).toEqual({
      type: 'accept',
      sessionId: '5eed1234',
      variant: '2',
    });
    expect(parseViewMessage({ type: 'discard', sessionId: 'a_b-C' })).toEqual({
      type: 'discard',
      sessionId: 'a_b-C',
    });
    expect(parseViewMessage({ type: 'openLocation', file: 'index.html', line: 12 })).toEqual({
      type: 'openLocation',
      file: 'index.html',
      line: 12,
    });
    expect(parseViewMessage({ type: 'timeline', sessionId: 'x', start: 100, count: 100 })).toEqual({
      type: 'timeline',
      sessionId: 'x',
      start: 100,
      count: 100,
    });
    expect(parseViewMessage({ type: 'command', command: 'startBridge' })).toEqual({
      type: 'command',
      command: 'startBridge',
    });
  });

  it.each([
    null,
    'accept',
    [],
    { type: 'unknown' },
    { type: 'accept', sessionId: '5eed1234', variant: '0' },
    { type: 'accept', sessionId: '5eed1234', variant: 2 },
    { type: 'accept', sessionId: '../etc', variant: '1' },
    { type: 'discard', sessionId: 'x'.repeat(65) },
    { type: 'timeline', sessionId: 'x', start: -1, count: 10 },
    { type: 'timeline', sessionId: 'x', start: 0, count: MAX_TIMELINE_PAGE + 1 },
    { type: 'openLocation', file: '', line: 1 },
    { type: 'openLocation', file: 'a.html', line: 1.5 },
    { type: 'command', command: 'workbench.action.terminal.sendSequence' },
  ])('ignores %j', (raw) => {
    expect(parseViewMessage(raw)).toBeUndefined();
  });

  it('drops fields it does not know', () => {
    expect(parseViewMessage({ type: 'open', sessionId: 'abc', extra: 'x' })).toEqual({
      type: 'open',
      sessionId: 'abc',
    });
  });
});

describe('parseHostMessage', () => {
  it('accepts state, timeline and busy messages and nothing else', () => {
    expect(parseHostMessage({ type: 'state', state: { sessions: [] } })).toBeDefined();
    expect(parseHostMessage({ type: 'timeline', sessionId: 'abc', start: 0, rows: [] })).toBeDefined();
    expect(parseHostMessage({ type: 'busy', sessionId: 'abc', busy: true })).toBeDefined();
    expect(parseHostMessage({ type: 'state' })).toBeUndefined();
    expect(parseHostMessage({ type: 'busy', sessionId: 'abc' })).toBeUndefined();
    expect(parseHostMessage('state')).toBeUndefined();
  });
});
