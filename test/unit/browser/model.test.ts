import { describe, expect, it } from 'vitest';
import { backoffDelay, RECONNECT_BACKOFF } from '../../../src/browser/backoff';
import { newEventId, newOwnerId, newSessionId } from '../../../src/browser/ids';
import { keyIntent } from '../../../src/browser/keys';
import {
  adoptServerState,
  canDecide,
  canDiscard,
  type LocalSession,
  readStoredSession,
  SESSION_KEY,
  stageOf,
  writeStoredSession,
} from '../../../src/browser/sessionModel';
import type { SessionState } from '../../../src/browser/types';

const local = (over: Partial<LocalSession> = {}): LocalSession => ({
  sessionId: 'a0000001',
  mode: 'replace',
  position: null,
  count: 3,
  element: null,
  visible: '2',
  params: { pad: 24 },
  decision: null,
  ...over,
});

const server = (over: Partial<SessionState> = {}): SessionState => ({
  sessionId: 'a0000001',
  phase: 'cycling',
  file: 'index.html',
  mode: 'replace',
  count: 3,
  generation: 1,
  variantsSeen: 3,
  visibleVariant: '3',
  params: { tone: 'warm' },
  acceptedVariant: null,
  acceptedParams: null,
  outcome: null,
  lastSeq: 5,
  checkpoints: [{ owner: 'tab-a', revision: 2 }],
  owed: [],
  ...over,
});

describe('adoptServerState', () => {
  it('takes the bridge’s visible variant and knob values', () => {
    expect(adoptServerState(local(), server(), { localAhead: false })).toMatchObject({
      visible: '3',
      params: { tone: 'warm' },
      decision: null,
    });
  });

  it('keeps the page’s values while one of its checkpoints is on the way', () => {
    expect(adoptServerState(local(), server(), { localAhead: true })).toMatchObject({
      visible: '2',
      params: { pad: 24 },
    });
  });

  it('keeps local values when the bridge has no checkpoint yet', () => {
    expect(
      adoptServerState(local(), server({ visibleVariant: null, params: {} }), { localAhead: false }).visible,
    ).toBe('2');
  });

  it('adopts a decision the bridge holds; a local decision keeps its eventId only when it is the same one', () => {
    const accepted = server({ phase: 'accept_pending', acceptedVariant: '2', acceptedParams: { pad: 24 } });
    const mine = local({
      decision: { type: 'accept', variant: '2', params: { pad: 24 }, eventId: 'acc-1', acked: false },
    });
    expect(adoptServerState(mine, accepted, { localAhead: false }).decision).toEqual({
      type: 'accept',
      variant: '2',
      params: { pad: 24 },
      eventId: 'acc-1',
      acked: true,
    });
    const lateDiscard = local({ decision: { type: 'discard', eventId: 'disc-1', acked: false } });
    expect(adoptServerState(lateDiscard, accepted, { localAhead: false }).decision).toMatchObject({
      type: 'accept',
      eventId: 'server',
    });
    expect(
      adoptServerState(local(), server({ phase: 'discard_pending' }), { localAhead: false }).decision,
    ).toEqual({
      type: 'discard',
      eventId: 'server',
      acked: true,
    });
  });
});

describe('stageOf', () => {
  const stage = (over: Partial<Parameters<typeof stageOf>[0]>) =>
    stageOf({ local: local(), server: server(), generateQueued: false, variantsInPage: 3, ...over });

  it('maps bridge phases and page facts to what the UI shows', () => {
    expect(stage({ server: undefined, generateQueued: true })).toBe('sending');
    expect(stage({ server: undefined })).toBe('generating');
    expect(stage({ server: null })).toBe('gone');
    expect(stage({ server: null, generateQueued: true })).toBe('sending');
    expect(stage({ server: server({ phase: 'generating' }), variantsInPage: 0 })).toBe('generating');
    expect(stage({ server: server({ phase: 'source_wrapped' }) })).toBe('cycling');
    expect(stage({ server: server({ phase: 'variants_written' }), variantsInPage: 0 })).toBe('generating');
    expect(stage({})).toBe('cycling');
    expect(stage({ server: server({ phase: 'failed' }) })).toBe('failed');
    expect(stage({ server: server({ phase: 'stranded' }), variantsInPage: 0 })).toBe('stranded');
    expect(stage({ server: server({ phase: 'accept_pending' }) })).toBe('applying');
    expect(stage({ server: server({ phase: 'accepted_source_pending' }) })).toBe('done');
    expect(stage({ server: server({ phase: 'complete' }) })).toBe('done');
  });

  it('says "saving" until the decision is acked as durable, "applying" after', () => {
    const pending = local({ decision: { type: 'discard', eventId: 'd', acked: false } });
    expect(stage({ local: pending })).toBe('saving');
    expect(stage({ local: pending, server: undefined })).toBe('saving');
    expect(stage({ local: local({ decision: { type: 'discard', eventId: 'd', acked: true } }) })).toBe(
      'applying',
    );
  });

  it('allows a decision only once the machine would take it', () => {
    expect(canDecide(server(), 3)).toBe(true);
    expect(canDecide(server({ phase: 'variants_written' }), 3)).toBe(true);
    expect(canDecide(server({ phase: 'source_wrapped' }), 3)).toBe(false);
    expect(canDecide(server(), 0)).toBe(false);
    expect(canDecide(undefined, 3)).toBe(false);
    expect(canDiscard(server({ phase: 'generating' }))).toBe(true);
    expect(canDiscard(server({ phase: 'accept_pending' }))).toBe(false);
    expect(canDiscard(null)).toBe(false);
  });
});

describe('stored session', () => {
  const store = () => {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
  };

  it('round-trips and is cleared with null', () => {
    const s = store();
    const session = local({
      decision: { type: 'accept', variant: '2', params: { pad: 24 }, eventId: 'a', acked: true },
    });
    writeStoredSession(s, session);
    expect(readStoredSession(s)).toEqual(session);
    writeStoredSession(s, null);
    expect(s.data.has(SESSION_KEY)).toBe(false);
  });

  it('treats anything malformed as no session, and repairs odd fields', () => {
    const s = store();
    for (const raw of ['{', '[]', '{"sessionId":"NOT-HEX"}', '{"sessionId":"a000000"}']) {
      s.data.set(SESSION_KEY, raw);
      expect(readStoredSession(s)).toBeNull();
    }
    s.data.set(
      SESSION_KEY,
      JSON.stringify({ sessionId: 'a0000001', count: 99, params: { x: {} }, decision: { type: 'x' } }),
    );
    expect(readStoredSession(s)).toEqual(local({ visible: null, params: {}, count: 3 }));
    expect(readStoredSession(null)).toBeNull();
  });
});

describe('keyIntent', () => {
  const key = (
    k: string,
    mods: Partial<{ shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {},
  ) => ({
    key: k,
    shiftKey: false,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    ...mods,
  });

  it('while asking: Escape cancels, arrows move the selection (Shift for parent/child)', () => {
    const asking = { asking: true, cycling: false };
    expect(keyIntent(key('Escape'), asking)).toEqual({ kind: 'cancel' });
    expect(keyIntent(key('ArrowUp', { shiftKey: true }), asking)).toEqual({
      kind: 'move',
      key: 'ArrowUp',
      shift: true,
    });
    expect(keyIntent(key('a'), asking)).toBeNull();
  });

  it('while cycling: ←/→ step, 1–9 jump; modifiers and other keys are left to the page', () => {
    const cycling = { asking: false, cycling: true };
    expect(keyIntent(key('ArrowLeft'), cycling)).toEqual({ kind: 'step', delta: -1 });
    expect(keyIntent(key('ArrowRight'), cycling)).toEqual({ kind: 'step', delta: 1 });
    expect(keyIntent(key('3'), cycling)).toEqual({ kind: 'show', index: 2 });
    expect(keyIntent(key('0'), cycling)).toBeNull();
    expect(keyIntent(key('ArrowRight', { ctrlKey: true }), cycling)).toBeNull();
    expect(keyIntent(key('ArrowRight', { shiftKey: true }), cycling)).toBeNull();
    expect(keyIntent(key('ArrowRight'), { asking: false, cycling: false })).toBeNull();
  });
});

describe('ids and backoff', () => {
  it('mints protocol-shaped ids', () => {
    const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => i * 17 + 1);
    expect(newSessionId(random)).toBe('01122334');
    expect(newEventId('accept', 'a0000001', random)).toBe('accept.a0000001.011223344556');
    expect(newOwnerId(random)).toBe('tab-0112233445');
    expect(newSessionId()).toMatch(/^[0-9a-f]{8}$/);
  });

  it('backs off exponentially to a cap, with bounded jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, RECONNECT_BACKOFF, mid))).toEqual([
      250, 500, 1000, 2000, 4000, 4000, 4000,
    ]);
    expect(backoffDelay(2, RECONNECT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(2, RECONNECT_BACKOFF, () => 0.999999)).toBe(1200);
  });
});
