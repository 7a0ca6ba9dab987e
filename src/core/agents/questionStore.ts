// The question store (docs/agents.md "Questions"): an agent asks, the user answers in VS Code, the browser
// or the CLI, and the first answer wins everywhere. Every question and answer is journaled before anyone is
// told of it, so the store rebuilds from its journal after a restart, and an agent killed while waiting gets
// the stored answer when it asks again with the same question id. All questions live in one journal (the
// `questions` session of a journal directory of their own): session journals belong to the engine, which
// folds every record in them and archives them when the session completes.
import { randomBytes } from 'node:crypto';
import { LiveVariantsError } from '../errors';
import {
  type AppendInput,
  type AppendResult,
  type JournalDiagnostic,
  type JournalDirOptions,
  type JournalRecord,
  openJournalDir,
} from '../journal';
import { validateQuestionId } from './ids';
import {
  ANSWERED_RECORD,
  type AnswerResult,
  ASKED_RECORD,
  type AskOutcome,
  answerEventId,
  askEventId,
  checkAnswerSource,
  checkAnswerValue,
  checkAsk,
  type QuestionView,
  readAnsweredData,
  readAskedData,
  type StoredAnswer,
} from './questionTypes';
import { nodeTimers } from './timers';
import type { RegistryTimers } from './types';

/** The journal session that holds the questions. */
export const QUESTIONS_SESSION_ID = 'questions';

/** What the store needs of a journal (SessionJournal has it). */
export interface QuestionJournal {
  readonly records: readonly JournalRecord[];
  readonly diagnostics?: readonly JournalDiagnostic[];
  append(input: AppendInput): Promise<AppendResult>;
}

export interface QuestionStoreOptions {
  journal: QuestionJournal;
  now?: () => Date;
  timers?: RegistryTimers;
  /** Ids for asks that name none (default `q-<16 hex>`). */
  mintId?: () => string;
  /** Run by close() after the waiters are released (openDir closes its journal directory here). */
  onClose?: () => Promise<void>;
}

export interface AskOptions {
  /** Abort (the HTTP client went away): the wait ends with `{type:"exit"}`; the question stays. */
  signal?: AbortSignal;
}

export interface QuestionEvent {
  type: 'asked' | 'answered';
  question: QuestionView;
}

export interface QuestionFilter {
  state?: 'pending' | 'answered';
  agentId?: string;
  sessionId?: string;
}

export interface QuestionStoreDiagnostic {
  code: 'question_record_unreadable' | 'answer_without_question';
  seq: number;
  message: string;
}

interface Question {
  questionId: string;
  text: string;
  choices: string[] | null;
  sessionId: string | null;
  agentId: string;
  askedAt: string;
  /** Arrival order, for listing. */
  order: number;
  /** Settles once the ask record is on disk (rejects when that write failed). */
  recorded: Promise<void>;
  durable: boolean;
  answer: StoredAnswer | null;
  answering: Promise<StoredAnswer> | null;
  waiters: Set<Waiter>;
}

interface Waiter {
  resolve: (o: AskOutcome) => void;
  timer: unknown;
  cleanup: () => void;
}

export class QuestionStore {
  private readonly questions = new Map<string, Question>();
  private readonly listeners = new Set<(e: QuestionEvent) => void>();
  private readonly journal: QuestionJournal;
  private readonly now: () => Date;
  private readonly timers: RegistryTimers;
  private readonly mintId: () => string;
  readonly diagnostics: QuestionStoreDiagnostic[] = [];
  private order = 0;
  private closed = false;

  constructor(private readonly opts: QuestionStoreOptions) {
    this.journal = opts.journal;
    this.now = opts.now ?? (() => new Date());
    this.timers = opts.timers ?? nodeTimers;
    this.mintId = opts.mintId ?? (() => `q-${randomBytes(8).toString('hex')}`);
    this.rebuild();
  }

  /** A store over the `questions` journal of its own journal directory `dir` (taking that directory's lock). */
  static async openDir(
    dir: string,
    opts: Omit<QuestionStoreOptions, 'journal' | 'onClose'> & { journalDir?: JournalDirOptions } = {},
  ): Promise<QuestionStore> {
    const jd = await openJournalDir(dir, { now: opts.now, ...opts.journalDir });
    try {
      const journal = await jd.openSession(QUESTIONS_SESSION_ID);
      return new QuestionStore({ ...opts, journal, onClose: () => jd.close() });
    } catch (e) {
      await jd.close().catch(() => undefined);
      throw e;
    }
  }

  /** Folds the journal: the first answer of each question wins, as it did when it was recorded. */
  private rebuild(): void {
    for (const r of this.journal.records) {
      if (r.type === ASKED_RECORD) {
        const d = readAskedData(r.data);
        if (d === undefined) {
          this.diagnose(
            'question_record_unreadable',
            r.seq,
            `Record ${r.seq} (${r.type}) is not a question; skipped.`,
          );
          continue;
        }
        if (this.questions.has(d.questionId)) continue;
        this.questions.set(d.questionId, {
          ...d,
          askedAt: r.at,
          order: this.order++,
          recorded: Promise.resolve(),
          durable: true,
          answer: null,
          answering: null,
          waiters: new Set(),
        });
      } else if (r.type === ANSWERED_RECORD) {
        const d = readAnsweredData(r.data);
        if (d === undefined) {
          this.diagnose(
            'question_record_unreadable',
            r.seq,
            `Record ${r.seq} (${r.type}) is not an answer; skipped.`,
          );
          continue;
        }
        const q = this.questions.get(d.questionId);
        if (q === undefined) {
          this.diagnose(
            'answer_without_question',
            r.seq,
            `Record ${r.seq} answers unknown question ${d.questionId}.`,
          );
        } else if (q.answer === null) {
          q.answer = { value: d.value, by: d.by, answeredAt: r.at };
        }
      }
    }
  }

  /**
   * Asks (or asks again) and resolves with the answer, a timeout, or exit. A known question id never writes
   * a second record: an answered one resolves at once with the stored answer (whatever text came with it),
   * a pending one joins the wait. Bad input rejects with a LiveVariantsError; a journal failure rejects and
   * leaves no question behind (asking again retries).
   */
  async ask(input: unknown, opts: AskOptions = {}): Promise<AskOutcome> {
    this.ensureOpen();
    const c = checkAsk(input);
    const questionId = c.questionId ?? validateQuestionId(this.mintId());
    let q = this.questions.get(questionId);
    if (q === undefined) {
      const askedAt = this.now().toISOString();
      const data = {
        questionId,
        text: c.text,
        choices: c.choices,
        sessionId: c.sessionId,
        agentId: c.agentId,
      };
      const fresh: Question = {
        ...data,
        askedAt,
        order: this.order++,
        recorded: Promise.resolve(),
        durable: false,
        answer: null,
        answering: null,
        waiters: new Set(),
      };
      fresh.recorded = this.journal
        .append({ eventId: askEventId(questionId), type: ASKED_RECORD, at: askedAt, data })
        .then(() => {
          fresh.durable = true;
          this.emit({ type: 'asked', question: this.view(fresh) });
        })
        .catch((e: unknown) => {
          if (this.questions.get(questionId) === fresh) this.questions.delete(questionId);
          throw e;
        });
      this.questions.set(questionId, fresh);
      q = fresh;
    }
    await q.recorded;
    if (q.answer !== null) return answerOutcome(questionId, q.answer);
    if (this.closed) return { type: 'exit', questionId };
    return this.wait(q, c.timeoutMs, opts.signal);
  }

  private wait(
    q: Question,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<AskOutcome> {
    const questionId = q.questionId;
    if (signal?.aborted) return Promise.resolve({ type: 'exit', questionId });
    return new Promise<AskOutcome>((resolve) => {
      const onAbort = () => finish({ type: 'exit', questionId });
      const waiter: Waiter = {
        resolve: (o) => finish(o),
        timer: undefined,
        cleanup: () => {
          if (waiter.timer !== undefined) this.timers.clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
          q.waiters.delete(waiter);
        },
      };
      const finish = (o: AskOutcome) => {
        waiter.cleanup();
        resolve(o);
      };
      if (timeoutMs !== undefined) {
        waiter.timer = this.timers.setTimeout(() => finish({ type: 'timeout', questionId }), timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      q.waiters.add(waiter);
    });
  }

  /**
   * Records the user's answer. The first answer to be journaled wins: it resolves every waiting ask and is
   * returned with `accepted: true`; any other answer gets `accepted: false` and the winning answer. With
   * choices, the value must be one of them. Unknown question → question_not_found.
   */
  async answer(questionId: unknown, value: unknown, opts: { by: unknown }): Promise<AnswerResult> {
    this.ensureOpen();
    const id = validateQuestionId(questionId);
    const by = checkAnswerSource(opts?.by);
    for (;;) {
      const q = this.questions.get(id);
      if (q === undefined) throw notFound(id);
      try {
        await q.recorded;
      } catch {
        throw notFound(id);
      }
      if (q.answer !== null) return { accepted: false, questionId: id, answer: { ...q.answer } };
      if (q.answering !== null) {
        // Someone else's answer is being written: it wins unless its write fails.
        await q.answering.catch(() => undefined);
        continue;
      }
      const checked = checkAnswerValue(value, q.choices);
      const writing = this.recordAnswer(q, checked, by);
      q.answering = writing;
      try {
        const stored = await writing;
        return { accepted: true, questionId: id, answer: { ...stored } };
      } finally {
        if (q.answering === writing) q.answering = null;
      }
    }
  }

  private async recordAnswer(q: Question, value: string, by: StoredAnswer['by']): Promise<StoredAnswer> {
    const answeredAt = this.now().toISOString();
    let stored: StoredAnswer = { value, by, answeredAt };
    const r = await this.journal.append({
      eventId: answerEventId(q.questionId),
      type: ANSWERED_RECORD,
      at: answeredAt,
      data: { questionId: q.questionId, value, by },
    });
    if (r.duplicate) {
      // The journal already held an answer this store had not seen: that one is the first.
      const rec = findRecord(this.journal.records, r.seq);
      const d = rec && readAnsweredData(rec.data);
      if (rec && d) stored = { value: d.value, by: d.by, answeredAt: rec.at };
    }
    // On disk: now everyone may be told.
    q.answer = stored;
    for (const w of [...q.waiters]) w.resolve(answerOutcome(q.questionId, stored));
    this.emit({ type: 'answered', question: this.view(q) });
    return stored;
  }

  get(questionId: string): QuestionView | undefined {
    const q = this.questions.get(questionId);
    return q?.durable ? this.view(q) : undefined;
  }

  /** Questions still waiting for an answer, oldest first. */
  pending(filter: Omit<QuestionFilter, 'state'> = {}): QuestionView[] {
    return this.list({ ...filter, state: 'pending' });
  }

  /** Recorded questions in the order they were asked, filtered. */
  list(filter: QuestionFilter = {}): QuestionView[] {
    const out: QuestionView[] = [];
    for (const q of this.questions.values()) {
      if (!q.durable) continue;
      if (filter.state === 'pending' && q.answer !== null) continue;
      if (filter.state === 'answered' && q.answer === null) continue;
      if (filter.agentId !== undefined && q.agentId !== filter.agentId) continue;
      if (filter.sessionId !== undefined && q.sessionId !== filter.sessionId) continue;
      out.push(this.view(q));
    }
    return out;
  }

  /** Number of asks currently waiting (all questions). */
  get waiting(): number {
    let n = 0;
    for (const q of this.questions.values()) n += q.waiters.size;
    return n;
  }

  onChange(listener: (e: QuestionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every waiting ask resolves `{type:"exit"}`; then the journal is released (openDir). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.questions.values()) {
      for (const w of [...q.waiters]) w.resolve({ type: 'exit', questionId: q.questionId });
    }
    this.listeners.clear();
    await this.opts.onClose?.();
  }

  private ensureOpen(): void {
    if (this.closed) throw new LiveVariantsError('questions_closed', 'The question store is closed.');
  }

  private view(q: Question): QuestionView {
    return {
      questionId: q.questionId,
      text: q.text,
      choices: q.choices && [...q.choices],
      sessionId: q.sessionId,
      agentId: q.agentId,
      askedAt: q.askedAt,
      state: q.answer === null ? 'pending' : 'answered',
      answer: q.answer && { ...q.answer },
    };
  }

  private emit(e: QuestionEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A failing listener (a disposed view) must not keep the answer from the others.
      }
    }
  }

  private diagnose(code: QuestionStoreDiagnostic['code'], seq: number, message: string): void {
    this.diagnostics.push({ code, seq, message });
  }
}

function answerOutcome(questionId: string, a: StoredAnswer): AskOutcome {
  return { type: 'answer', questionId, value: a.value, by: a.by, answeredAt: a.answeredAt };
}

function notFound(questionId: string): LiveVariantsError {
  return new LiveVariantsError('question_not_found', `There is no question ${questionId}.`, 'questionId');
}

function findRecord(records: readonly JournalRecord[], seq: number): JournalRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].seq === seq) return records[i];
  return undefined;
}
