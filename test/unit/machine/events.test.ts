import { describe, expect, it } from 'vitest';
import {
  eventFromRecord,
  isSessionEventType,
  recordFromEvent,
  SESSION_EVENT_TYPES,
  sessionEventFromAgent,
  sessionEventFromBrowser,
} from '../../../src/core/machine';
import { parseAgentResult, parseBrowserEvent } from '../../../src/core/protocol';
import { REPRESENTATIVE } from './fixtures';

describe('journal record mapping', () => {
  it('a record is the event without its type, free of undefined members', () => {
    expect(
      recordFromEvent({
        type: 'browser.checkpoint',
        owner: 'o',
        revision: 2,
        variant: '1',
        params: { a: 1 },
      }),
    ).toEqual({
      type: 'browser.checkpoint',
      data: { owner: 'o', revision: 2, variant: '1', params: { a: 1 } },
    });
    expect(recordFromEvent({ type: 'browser.accept', variant: '1', params: undefined })).toEqual({
      type: 'browser.accept',
      data: { variant: '1' },
    });
  });

  for (const type of SESSION_EVENT_TYPES) {
    it(`${type} survives record → JSON text → event unchanged`, () => {
      const event = REPRESENTATIVE[type];
      const back = eventFromRecord(JSON.parse(JSON.stringify(recordFromEvent(event))));
      expect(back).toEqual(event);
    });
  }

  it('ignores records that are not machine events', () => {
    expect(eventFromRecord({ type: 'queue.acked', data: {} })).toBeUndefined();
    expect(eventFromRecord({ type: 'diagnostic', data: { code: 'x' } })).toBeUndefined();
    expect(eventFromRecord({ type: 'constructor', data: {} })).toBeUndefined();
    expect(isSessionEventType('agent.done')).toBe(true);
    expect(isSessionEventType('__proto__')).toBe(false);
  });

  it('ignores machine records whose data does not validate', () => {
    expect(
      eventFromRecord({
        type: 'browser.checkpoint',
        data: { owner: 'o', revision: -1, variant: '1', params: {} },
      }),
    ).toBeUndefined();
    expect(eventFromRecord({ type: 'source.variants_seen', data: { count: 0 } })).toBeUndefined();
    expect(eventFromRecord({ type: 'session.strand', data: {} })).toBeUndefined();
    expect(eventFromRecord({ type: 'browser.discard', data: [] })).toBeUndefined();
    expect(eventFromRecord({ type: 'browser.discard', data: null })).toBeUndefined();
    expect(
      eventFromRecord({
        type: 'browser.generate',
        data: { mode: 'insert', count: 2, element: { tag: 'p', classes: [] } },
      }),
    ).toBeUndefined();
  });

  it('normalises data on the way in (defaults, numeric variants, stripped fields)', () => {
    expect(
      eventFromRecord({ type: 'accept.applied', data: { carbonize: false, variant: 4, junk: 1 } }),
    ).toEqual({
      type: 'accept.applied',
      carbonize: false,
      variant: '4',
      params: {},
    });
  });

  it('never throws on hostile records', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(eventFromRecord(hostile as { type: unknown; data: unknown })).toBeUndefined();
    expect(eventFromRecord({ type: 'browser.accept', data: hostile })).toBeUndefined();
  });
});

describe('protocol to machine events', () => {
  it('browser events lose their envelope and gain the browser. prefix', () => {
    const parsed = parseBrowserEvent({ type: 'accept', sessionId: '0a1b2c3d', eventId: 'e1', variant: 2 });
    if (!parsed.ok) throw new Error('parse failed');
    expect(sessionEventFromBrowser(parsed.value)).toEqual({ type: 'browser.accept', variant: '2' });
  });

  it('agent results gain the agent. prefix', () => {
    const parsed = parseAgentResult({ type: 'error', message: 'nope' });
    if (!parsed.ok) throw new Error('parse failed');
    expect(sessionEventFromAgent(parsed.value)).toEqual({ type: 'agent.error', message: 'nope' });
  });

  it('every browser event type and agent result type maps to a machine event type', () => {
    for (const type of ['generate', 'checkpoint', 'accept', 'discard', 'exit']) {
      expect(isSessionEventType(`browser.${type}`)).toBe(true);
    }
    for (const type of ['done', 'error', 'complete', 'discarded', 'retry']) {
      expect(isSessionEventType(`agent.${type}`)).toBe(true);
    }
  });
});
