import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AskOutcome,
  deriveQuestionId,
  type QuestionEvent,
  type QuestionJournal,
  QuestionStore,
} from '../../../src/core/agents';
import { isLiveVariantsError } from '../../../src/core/errors';
import type { AppendInput, AppendResult, JournalRecord } from '../../../src/core/journal';
import { FakeTime } from './fakeTime';

const T0 = Date.parse('2025-06-01T10:00:00.000Z');
let dir: string;
let time: FakeTime;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lv-questions-'));
  time = new FakeTime(T0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => QuestionStore.openDir(dir, { now: time.date, timers: time });
const journalLines = () =>
  readFileSync(join(dir, 'questions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalRecord);

/** Lets promise callbacks run (no I/O is waited for: use `recorded` for that). */
const settle = () => new Promise((r) => setTimeout(r, 5));

/** Resolves once `n` asks are parked waiting for an answer. */
async function parked(store: QuestionStore, n: number): Promise<void> {
  while (store.waiting < n) await new Promise((r) => setImmediate(r));
}

/** Resolves once every named question is durable (its ask record is on disk). */
function recorded(store: QuestionStore, ...ids: string[]): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (ids.every((id) => store.get(id) !== undefined)) {
        off();
        resolve();
      }
    };
    const off = store.onChange(check);
    check();
  });
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; field: string | undefined }> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isLiveVariantsError(e)) throw new Error(`expected a LiveVariantsError, got ${String(e)}`);
  return { code: e.code, field: e.field };
}

const ask = {
  questionId: 'q1',
  text: 'Which hero?',
  choices: ['A', 'B'],
  sessionId: 'a1b2c3d4',
  agentId: 'agent-1',
};

describe('QuestionStore', () => {
  it('journals the question, lists it as pending, and resolves the ask with the answer once it is on disk', async () => {
    const store = await open();
    const events: QuestionEvent[] = [];
    store.onChange((e) => events.push(e));
    const waiting = store.ask(ask);
    await recorded(store, 'q1');
    expect(store.pending().map((q) => q.questionId)).toEqual(['q1']);
    expect(store.pending()[0]).toEqual({
      questionId: 'q1',
      text: 'Which hero?',
      choices: ['A', 'B'],
      sessionId: 'a1b2c3d4',
      agentId: 'agent-1',
      askedAt: new Date(T0).toISOString(),
      state: 'pending',
      answer: null,
    });
    time.now += 5_000;
    const result = await store.answer('q1', 'B', { by: 'vscode' });
    const answer = { value: 'B', by: 'vscode', answeredAt: new Date(T0 + 5_000).toISOString() };
    expect(result).toEqual({ accepted: true, questionId: 'q1', answer });
    expect(await waiting).toEqual({ type: 'answer', questionId: 'q1', ...answer });
    expect(store.pending()).toEqual([]);
    expect(events.map((e) => [e.type, e.question.state])).toEqual([
      ['asked', 'pending'],
      ['answered', 'answered'],
    ]);
    expect(journalLines().map((r) => [r.type, r.eventId, r.data])).toEqual([
      [
        'question.asked',
        'ask:q1',
        {
          questionId: 'q1',
          text: 'Which hero?',
          choices: ['A', 'B'],
          sessionId: 'a1b2c3d4',
          agentId: 'agent-1',
        },
      ],
      ['question.answered', 'answer:q1', { questionId: 'q1', value: 'B', by: 'vscode' }],
    ]);
    await store.close();
  });

  it('lets the first answer win everywhere; later answers get accepted:false and the first answer', async () => {
    const store = await open();
    void store.ask(ask);
    await recorded(store, 'q1');
    const [browser, cli] = await Promise.all([
      store.answer('q1', 'A', { by: 'browser' }),
      store.answer('q1', 'B', { by: 'cli' }),
    ]);
    expect(browser.accepted).toBe(true);
    expect(cli).toEqual({ accepted: false, questionId: 'q1', answer: browser.answer });
    const late = await store.answer('q1', 'B', { by: 'vscode' });
    expect(late).toEqual({ accepted: false, questionId: 'q1', answer: browser.answer });
    expect(journalLines().filter((r) => r.type === 'question.answered')).toHaveLength(1);
    await store.close();
  });

  it('answers a repeated ask with the stored answer at once and writes nothing', async () => {
    const store = await open();
    void store.ask(ask);
    await recorded(store, 'q1');
    await store.answer('q1', 'A', { by: 'cli' });
    const before = journalLines().length;
    const again = await store.ask({ ...ask, text: 'Reworded, same id', timeoutMs: 1 });
    expect(again).toMatchObject({ type: 'answer', questionId: 'q1', value: 'A', by: 'cli' });
    expect(journalLines()).toHaveLength(before);
    await store.close();
  });

  it('joins a pending question instead of asking it twice', async () => {
    const store = await open();
    const first = store.ask(ask);
    const second = store.ask(ask);
    await parked(store, 2);
    expect(store.list()).toHaveLength(1);
    expect(store.waiting).toBe(2);
    await store.answer('q1', 'A', { by: 'browser' });
    expect((await first).type).toBe('answer');
    expect((await second).type).toBe('answer');
    expect(journalLines().filter((r) => r.type === 'question.asked')).toHaveLength(1);
    await store.close();
  });

  it('times an ask out at exactly timeoutMs; the question stays answerable and the next ask gets the answer', async () => {
    const store = await open();
    let outcome: AskOutcome | undefined;
    void store.ask({ ...ask, timeoutMs: 1_000 }).then((o) => {
      outcome = o;
    });
    await parked(store, 1);
    time.advance(999);
    await settle();
    expect(outcome).toBeUndefined();
    time.advance(1);
    await settle();
    expect(outcome).toEqual({ type: 'timeout', questionId: 'q1' });
    expect(store.waiting).toBe(0);
    expect(store.pending()).toHaveLength(1);
    await store.answer('q1', 'A', { by: 'vscode' });
    expect(await store.ask(ask)).toMatchObject({ type: 'answer', value: 'A' });
    await store.close();
  });

  it('gives an agent killed while waiting the answer on its next ask, across a restart', async () => {
    let store = await open();
    const abort = new AbortController();
    const killed = store.ask(ask, { signal: abort.signal });
    await recorded(store, 'q1');
    abort.abort(); // the agent's HTTP request went away
    expect(await killed).toEqual({ type: 'exit', questionId: 'q1' });
    expect(store.waiting).toBe(0);
    await store.close();

    store = await open();
    expect(store.pending().map((q) => q.questionId)).toEqual(['q1']);
    expect((await store.answer('q1', 'B', { by: 'browser' })).accepted).toBe(true);
    await store.close();

    store = await open();
    expect(store.pending()).toEqual([]);
    expect(store.get('q1')?.answer).toMatchObject({ value: 'B', by: 'browser' });
    expect(await store.ask(ask)).toMatchObject({
      type: 'answer',
      questionId: 'q1',
      value: 'B',
      by: 'browser',
    });
    expect(await store.answer('q1', 'A', { by: 'cli' })).toMatchObject({
      accepted: false,
      answer: { value: 'B' },
    });
    await store.close();
  });

  it('mints an id when none is given and reports it with the outcome', async () => {
    const store = await QuestionStore.openDir(dir, {
      now: time.date,
      timers: time,
      mintId: () => 'q-minted',
    });
    const waiting = store.ask({ text: 'Free text?', agentId: 'agent-1', timeoutMs: 10 });
    await parked(store, 1);
    time.advance(10);
    expect(await waiting).toEqual({ type: 'timeout', questionId: 'q-minted' });
    expect(store.get('q-minted')).toMatchObject({ choices: null, sessionId: null, state: 'pending' });
    await store.close();
  });

  it('resolves waiting asks with exit on close', async () => {
    const store = await open();
    const waiting = store.ask(ask);
    await recorded(store, 'q1');
    await store.close();
    expect(await waiting).toEqual({ type: 'exit', questionId: 'q1' });
  });

  it('refuses bad asks and answers with the field at fault and journals nothing for them', async () => {
    const store = await open();
    const badAsks: [Record<string, unknown>, string][] = [
      [{ ...ask, text: '   ' }, 'text'],
      [{ ...ask, agentId: 'has space' }, 'agentId'],
      [{ ...ask, questionId: 'a/b' }, 'questionId'],
      [{ ...ask, choices: ['A', 'A'] }, 'choices[1]'],
      [{ ...ask, choices: 'A' }, 'choices'],
      [{ ...ask, sessionId: '../x' }, 'sessionId'],
      [{ ...ask, timeoutMs: 0 }, 'timeoutMs'],
    ];
    for (const [input, field] of badAsks) expect((await rejection(store.ask(input))).field).toBe(field);
    expect(store.list()).toEqual([]);

    void store.ask(ask);
    await recorded(store, 'q1');
    expect(await rejection(store.answer('q1', 'C', { by: 'vscode' }))).toEqual({
      code: 'invalid_answer',
      field: 'value',
    });
    expect(await rejection(store.answer('q1', 'A', { by: 'email' }))).toEqual({
      code: 'invalid_answer',
      field: 'by',
    });
    expect(await rejection(store.answer('nope', 'A', { by: 'cli' }))).toEqual({
      code: 'question_not_found',
      field: 'questionId',
    });
    expect(journalLines().map((r) => r.type)).toEqual(['question.asked']);
    await store.close();
  });

  it('filters the list by state, agent and session, in the order asked', async () => {
    const store = await open();
    void store.ask({ ...ask, questionId: 'q1' });
    void store.ask({ ...ask, questionId: 'q2', agentId: 'agent-2' });
    void store.ask({ ...ask, questionId: 'q3', sessionId: 'ffff0000' });
    await recorded(store, 'q1', 'q2', 'q3');
    await store.answer('q2', 'A', { by: 'cli' });
    expect(store.list().map((q) => q.questionId)).toEqual(['q1', 'q2', 'q3']);
    expect(store.pending().map((q) => q.questionId)).toEqual(['q1', 'q3']);
    expect(store.list({ state: 'answered' }).map((q) => q.questionId)).toEqual(['q2']);
    expect(store.list({ agentId: 'agent-2' }).map((q) => q.questionId)).toEqual(['q2']);
    expect(store.pending({ sessionId: 'ffff0000' }).map((q) => q.questionId)).toEqual(['q3']);
    await store.close();
  });
});

/** An in-memory journal whose appends complete only when the test releases them. */
class HeldJournal implements QuestionJournal {
  records: JournalRecord[] = [];
  held: { input: AppendInput; resolve: () => void; reject: (e: Error) => void }[] = [];

  append(input: AppendInput): Promise<AppendResult> {
    const known = this.records.find((r) => r.eventId === input.eventId);
    if (known) return Promise.resolve({ seq: known.seq, duplicate: true });
    return new Promise((resolve, reject) => {
      this.held.push({
        input,
        resolve: () => {
          const seq = this.records.length + 1;
          this.records.push({
            v: 1,
            seq,
            eventId: input.eventId,
            type: input.type,
            at: input.at!,
            data: input.data,
          });
          resolve({ seq, duplicate: false });
        },
        reject,
      });
    });
  }

  release(): void {
    this.held.shift()!.resolve();
  }
}

describe('QuestionStore durability', () => {
  it('tells nobody of an answer before its record is durable', async () => {
    const journal = new HeldJournal();
    const store = new QuestionStore({ journal, now: time.date, timers: time });
    let outcome: AskOutcome | undefined;
    void store.ask(ask).then((o) => {
      outcome = o;
    });
    await settle();
    expect(store.pending()).toEqual([]); // the ask itself is not durable yet
    journal.release();
    await settle();
    expect(store.pending()).toHaveLength(1);
    let answered = false;
    const answering = store.answer('q1', 'A', { by: 'vscode' }).then((r) => {
      answered = true;
      return r;
    });
    await settle();
    expect([answered, outcome, store.get('q1')?.state]).toEqual([false, undefined, 'pending']);
    journal.release();
    expect((await answering).accepted).toBe(true);
    await settle();
    expect(outcome).toMatchObject({ type: 'answer', value: 'A' });
  });

  it('when the winning answer fails to be written, the next answer can still win', async () => {
    const journal = new HeldJournal();
    const store = new QuestionStore({ journal, now: time.date, timers: time });
    void store.ask(ask);
    await settle();
    journal.release();
    await settle();
    const first = store.answer('q1', 'A', { by: 'vscode' });
    const second = store.answer('q1', 'B', { by: 'browser' });
    await settle();
    journal.held.shift()!.reject(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await settle();
    journal.release();
    expect(await second).toMatchObject({ accepted: true, answer: { value: 'B', by: 'browser' } });
  });

  it('rebuilds from records, skipping unreadable ones and keeping the first answer of each question', () => {
    const at = new Date(T0).toISOString();
    const rec = (seq: number, type: string, data: Record<string, unknown>): JournalRecord => ({
      v: 1,
      seq,
      eventId: `e${seq}`,
      type,
      at,
      data,
    });
    const journal: QuestionJournal = {
      records: [
        rec(1, 'question.asked', {
          questionId: 'q1',
          text: 'T',
          choices: null,
          sessionId: null,
          agentId: 'a',
        }),
        rec(2, 'question.asked', { questionId: 'q2', text: '' }),
        rec(3, 'question.answered', { questionId: 'q1', value: 'first', by: 'cli' }),
        rec(4, 'question.answered', { questionId: 'q1', value: 'second', by: 'vscode' }),
        rec(5, 'question.answered', { questionId: 'q9', value: 'x', by: 'cli' }),
        rec(6, 'something.else', {}),
      ],
      append: () => Promise.reject(new Error('read only')),
    };
    const store = new QuestionStore({ journal, timers: time });
    expect(store.list().map((q) => [q.questionId, q.answer?.value])).toEqual([['q1', 'first']]);
    expect(store.diagnostics.map((d) => [d.code, d.seq])).toEqual([
      ['question_record_unreadable', 2],
      ['answer_without_question', 5],
    ]);
  });
});

describe('deriveQuestionId', () => {
  it('is the same for the same agent, session, text and choices, and differs when any changes', () => {
    const base = { agentId: 'a', sessionId: 's1', text: 'Which?', choices: ['x', 'y'] };
    const id = deriveQuestionId(base);
    expect(id).toMatch(/^q-[0-9a-f]{20}$/);
    expect(deriveQuestionId({ ...base })).toBe(id);
    for (const change of [
      { agentId: 'b' },
      { sessionId: null },
      { text: 'Which!' },
      { choices: ['y', 'x'] },
    ]) {
      expect(deriveQuestionId({ ...base, ...change })).not.toBe(id);
    }
  });
});
