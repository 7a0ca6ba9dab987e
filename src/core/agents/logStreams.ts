// Per-agent log streams (docs/agents.md "Log lines"): a ring buffer of each agent's last `capacity` lines,
// every line numbered by a per-agent sequence, and subscribers that get the buffered history and then live
// lines, in order, each exactly once. Each subscriber owns a FIFO filled at subscribe time from the buffer
// and, from then on, by every append; delivery drains that FIFO. History and live lines therefore travel
// through one queue, so lines appended while history is being delivered (even by the subscriber's own
// callback) land behind it: no race, no gap, no duplicate. Delivery is synchronous; a callback that appends
// is not re-entered, its lines follow once it returns.
import { LiveVariantsError } from '../errors';
import { validateAgentId } from './ids';
import { sanitizeLogLine, splitLogText } from './sanitize';

export interface LogLine {
  /** 1-based, per agent, +1 per line; restarts at 1 when the bridge restarts (logs are memory only). */
  seq: number;
  /** ISO time of the append. */
  at: string;
  /** Sanitised text, at most `maxLineChars` characters plus the truncation mark. */
  text: string;
}

/** Lines a subscriber will never get: evicted before it asked for them, or dropped from its full backlog. */
export interface LogGap {
  fromSeq: number;
  toSeq: number;
}

export interface AgentLogsOptions {
  /** Lines kept per agent (default 1,000). */
  capacity?: number;
  /** Longest line kept, in UTF-16 code units, before the truncation mark (default 4,000). */
  maxLineChars?: number;
  /** Lines a subscriber may have queued and undelivered before the oldest are dropped (default 2 × capacity). */
  maxBacklog?: number;
  /** Agents with a buffer; past it the least recently active agent without subscribers is forgotten (default 256). */
  maxAgents?: number;
  /** Most lines one append may carry (default 10,000). */
  maxLinesPerAppend?: number;
  now?: () => Date;
}

export interface SubscribeOptions {
  /** First seq wanted (inclusive). Omitted: the whole buffer. Beyond the next seq (a restarted stream): the whole buffer. */
  fromSeq?: number;
  /** Called, before the next line, for lines the subscriber will never get. */
  onGap?: (gap: LogGap) => void;
  /** A callback that throws is unsubscribed and the error handed here (the append itself never fails). */
  onError?: (error: unknown) => void;
}

export interface LogSubscription {
  readonly agentId: string;
  /** Seq of the first line this subscription delivers (its history start). */
  readonly startSeq: number;
  readonly active: boolean;
  unsubscribe(): void;
}

export interface AppendResult {
  agentId: string;
  /** Seq of the first and last line appended; `lastSeq < firstSeq` when nothing was appended. */
  firstSeq: number;
  lastSeq: number;
}

export interface LogRead {
  agentId: string;
  lines: LogLine[];
  /** Seq of the oldest line still buffered (= nextSeq when the buffer is empty). */
  oldestSeq: number;
  /** Seq the next appended line will get. */
  nextSeq: number;
}

type OnLine = (line: LogLine, subscription: LogSubscription) => void;

class Subscriber implements LogSubscription {
  /** Pending lines; `head` is the next to deliver (an index, so draining is O(1) per line). */
  queue: LogLine[] = [];
  head = 0;
  /** The seq this subscriber expects next: a line above it means a gap. */
  expected: number;
  delivering = false;
  active = true;

  constructor(
    readonly agentId: string,
    readonly startSeq: number,
    private readonly onLine: OnLine,
    private readonly opts: SubscribeOptions,
    private readonly detach: (s: Subscriber) => void,
  ) {
    this.expected = startSeq;
  }

  unsubscribe(): void {
    if (!this.active) return;
    this.active = false;
    this.queue = [];
    this.head = 0;
    this.detach(this);
  }

  enqueue(line: LogLine, maxBacklog: number): void {
    if (!this.active) return;
    this.queue.push(line);
    // Bounded memory: a backlog past the cap loses its oldest lines (reported as a gap when delivery resumes).
    if (this.queue.length - this.head > maxBacklog) this.head++;
    if (this.head > maxBacklog) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  pump(): void {
    if (this.delivering || !this.active) return;
    this.delivering = true;
    try {
      while (this.active && this.head < this.queue.length) {
        const line = this.queue[this.head++];
        if (line.seq < this.expected) continue;
        if (line.seq > this.expected) this.opts.onGap?.({ fromSeq: this.expected, toSeq: line.seq - 1 });
        this.expected = line.seq + 1;
        this.onLine(line, this);
      }
    } catch (e) {
      this.unsubscribe();
      this.opts.onError?.(e);
    } finally {
      this.delivering = false;
      if (this.head >= this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
    }
  }
}

class AgentLog {
  private readonly ring: (LogLine | undefined)[];
  private start = 0;
  length = 0;
  nextSeq = 1;
  readonly subscribers = new Set<Subscriber>();

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  get oldestSeq(): number {
    return this.nextSeq - this.length;
  }

  push(line: LogLine): void {
    if (this.length < this.capacity) {
      this.ring[(this.start + this.length) % this.capacity] = line;
      this.length++;
    } else {
      this.ring[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Buffered lines with seq >= fromSeq, oldest first, at most `limit`. */
  from(fromSeq: number, limit = Number.POSITIVE_INFINITY): LogLine[] {
    const skip = Math.max(0, fromSeq - this.oldestSeq);
    const out: LogLine[] = [];
    for (let k = skip; k < this.length && out.length < limit; k++) {
      out.push(this.ring[(this.start + k) % this.capacity]!);
    }
    return out;
  }
}

function positiveInt(v: number | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new LiveVariantsError('invalid_option', `${field} must be a whole number of at least 1.`, field);
  }
  return v;
}

/** Lines appended between deliveries inside one append (well under any sane backlog cap). */
const PUMP_EVERY = 64;

export class AgentLogs {
  private readonly logs = new Map<string, AgentLog>();
  readonly capacity: number;
  readonly maxLineChars: number;
  private readonly maxBacklog: number;
  private readonly maxAgents: number;
  private readonly maxLinesPerAppend: number;
  private readonly now: () => Date;

  constructor(opts: AgentLogsOptions = {}) {
    this.capacity = positiveInt(opts.capacity, 'capacity', 1000);
    this.maxLineChars = positiveInt(opts.maxLineChars, 'maxLineChars', 4000);
    this.maxBacklog = positiveInt(opts.maxBacklog, 'maxBacklog', 2 * this.capacity);
    this.maxAgents = positiveInt(opts.maxAgents, 'maxAgents', 256);
    this.maxLinesPerAppend = positiveInt(opts.maxLinesPerAppend, 'maxLinesPerAppend', 10_000);
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Appends lines (a string, or a list of strings; each is split at line breaks) to the agent's buffer and
   * delivers them to its subscribers. Untrusted input is refused with a LiveVariantsError before anything
   * is appended.
   */
  append(agentId: string, lines: unknown): AppendResult {
    const id = validateAgentId(agentId);
    const texts = this.checkLines(lines);
    const log = this.logFor(id, true);
    const firstSeq = log.nextSeq;
    if (texts.length === 0) return { agentId: id, firstSeq, lastSeq: firstSeq - 1 };
    const at = this.now().toISOString();
    const subs = log.subscribers.size > 0 ? [...log.subscribers] : [];
    let sincePump = 0;
    for (const text of texts) {
      const line: LogLine = { seq: log.nextSeq++, at, text: sanitizeLogLine(text, this.maxLineChars) };
      log.push(line);
      for (const s of subs) s.enqueue(line, this.maxBacklog);
      // A big append must not overflow a subscriber's backlog on its own: deliver as we go.
      if (++sincePump >= PUMP_EVERY) {
        sincePump = 0;
        for (const s of subs) s.pump();
      }
    }
    for (const s of subs) s.pump();
    return { agentId: id, firstSeq, lastSeq: log.nextSeq - 1 };
  }

  /**
   * Delivers the buffered history (from `fromSeq`, or all of it) to `onLine`, synchronously before this
   * returns, then every later line as it is appended, until `unsubscribe`. The callback gets the
   * subscription as its second argument so it can unsubscribe from inside.
   */
  subscribe(agentId: string, opts: SubscribeOptions, onLine: OnLine): LogSubscription {
    const id = validateAgentId(agentId);
    if (typeof onLine !== 'function') {
      throw new LiveVariantsError('invalid_input', 'onLine must be a function.', 'onLine');
    }
    const log = this.logFor(id, true);
    let start = log.oldestSeq;
    const from = opts?.fromSeq;
    if (from !== undefined) {
      if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 1) {
        throw new LiveVariantsError(
          'invalid_input',
          'fromSeq must be a whole number of at least 1.',
          'fromSeq',
        );
      }
      // A seq from before a restart (beyond anything issued) cannot be honoured: start over.
      if (from <= log.nextSeq) start = from;
    }
    const sub = new Subscriber(id, start, onLine, opts ?? {}, (s) => this.detach(s));
    // History is copied (references only) into the subscriber's own queue; lines wanted but already
    // evicted show up as a gap before the first delivered line.
    sub.queue = log.from(start);
    log.subscribers.add(sub);
    sub.pump();
    return sub;
  }

  /** The buffered lines from `fromSeq` (default: all), at most `limit`; for non-following readers. */
  read(agentId: string, opts: { fromSeq?: number; limit?: number } = {}): LogRead {
    const id = validateAgentId(agentId);
    const log = this.logs.get(id);
    const fromSeq = opts.fromSeq ?? 1;
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) {
      throw new LiveVariantsError(
        'invalid_input',
        'fromSeq must be a whole number of at least 1.',
        'fromSeq',
      );
    }
    const limit = opts.limit ?? this.capacity;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new LiveVariantsError('invalid_input', 'limit must be a whole number of at least 1.', 'limit');
    }
    if (log === undefined) return { agentId: id, lines: [], oldestSeq: 1, nextSeq: 1 };
    return {
      agentId: id,
      lines: log.from(fromSeq > log.nextSeq ? 1 : fromSeq, limit),
      oldestSeq: log.oldestSeq,
      nextSeq: log.nextSeq,
    };
  }

  /** Agents that have a buffer, most recently active last. */
  agents(): string[] {
    return [...this.logs.keys()];
  }

  subscriberCount(agentId: string): number {
    return this.logs.get(agentId)?.subscribers.size ?? 0;
  }

  /** Drops an agent's buffer (its subscribers are ended). */
  forget(agentId: string): void {
    const log = this.logs.get(agentId);
    if (log === undefined) return;
    for (const s of [...log.subscribers]) s.unsubscribe();
    this.logs.delete(agentId);
  }

  private detach(s: Subscriber): void {
    this.logs.get(s.agentId)?.subscribers.delete(s);
  }

  private logFor(id: string, touch: boolean): AgentLog {
    let log = this.logs.get(id);
    if (log !== undefined) {
      if (touch) {
        // Map order is recency order: move to the end.
        this.logs.delete(id);
        this.logs.set(id, log);
      }
      return log;
    }
    log = new AgentLog(this.capacity);
    this.logs.set(id, log);
    if (this.logs.size > this.maxAgents) {
      for (const [other, l] of this.logs) {
        if (this.logs.size <= this.maxAgents) break;
        if (other !== id && l.subscribers.size === 0) this.logs.delete(other);
      }
    }
    return log;
  }

  private checkLines(lines: unknown): string[] {
    const list = typeof lines === 'string' ? [lines] : lines;
    if (!Array.isArray(list)) {
      throw new LiveVariantsError(
        'invalid_log_lines',
        'lines must be a string or a list of strings.',
        'lines',
      );
    }
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (typeof item !== 'string') {
        throw new LiveVariantsError('invalid_log_lines', `lines[${i}] must be a string.`, `lines[${i}]`);
      }
      for (const piece of splitLogText(item)) out.push(piece);
      if (out.length > this.maxLinesPerAppend) {
        throw new LiveVariantsError(
          'invalid_log_lines',
          `One append may carry at most ${this.maxLinesPerAppend} lines; send the rest in another.`,
          'lines',
        );
      }
    }
    return out;
  }
}
