import { describe, expect, it } from 'vitest';
import {
  MAX_ANSWER_CHARS,
  MAX_TIMELINE_PAGE,
  parseHostMessage,
  parseViewMessage,
} from '../../../webview-ui/protocol';

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
    { type: 'followLog', agentId: 'a b', stream: 1 },
    { type: 'followLog', agentId: 'A', stream: -1 },
    { type: 'followLog', agentId: 'A' },
    { type: 'interrupt', agentId: '' },
    { type: 'interrupt', agentId: 'x'.repeat(65) },
    { type: 'answer', questionId: 'q/1', value: 'x' },
    { type: 'answer', questionId: 'q-1', value: '   ' },
    { type: 'answer', questionId: 'q-1', value: 'x'.repeat(MAX_ANSWER_CHARS + 1) },
    { type: 'answer', questionId: 'q-1', value: 3 },
  ])('ignores %j', (raw) => {
    expect(parseViewMessage(raw)).toBeUndefined();
  });

  it('accepts the agents panel messages', () => {
    expect(parseViewMessage({ type: 'followLog', agentId: 'term-3f2a9c01be', stream: 7 })).toEqual({
      type: 'followLog',
      agentId: 'term-3f2a9c01be',
      stream: 7,
    });
    expect(parseViewMessage({ type: 'followLog', agentId: null, stream: 8 })).toEqual({
      type: 'followLog',
      agentId: null,
      stream: 8,
    });
    expect(parseViewMessage({ type: 'interrupt', agentId: 'A.b:c_d-1' })).toEqual({
      type: 'interrupt',
      agentId: 'A.b:c_d-1',
    });
    expect(parseViewMessage({ type: 'answer', questionId: 'q-5c1e', value: 'yes' })).toEqual({
      type: 'answer',
      questionId: 'q-5c1e',
      value: 'yes',
    });
    expect(parseViewMessage({ type: 'resumeWork', extra: 1 })).toEqual({ type: 'resumeWork' });
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

  it('accepts agents, log and logState messages with their lists and stream numbers', () => {
    expect(
      parseHostMessage({
        type: 'agents',
        agents: { source: 'live', message: null, agents: [], questions: [] },
      }),
    ).toBeDefined();
    expect(parseHostMessage({ type: 'log', stream: 3, entries: [] })).toBeDefined();
    expect(parseHostMessage({ type: 'logState', stream: 3, state: 'live', message: null })).toBeDefined();
    expect(parseHostMessage({ type: 'agents', agents: { agents: [] } })).toBeUndefined();
    expect(parseHostMessage({ type: 'log', stream: 'x', entries: [] })).toBeUndefined();
    expect(parseHostMessage({ type: 'log', stream: 1 })).toBeUndefined();
  });
});
