// The agents' part of the page UI: the questions card and the "no agent online" notice, in a column at the top
// right (the session card and the launcher keep the bottom right). It folds the bridge's `questions`, `agents`
// and answer frames into the model (agentsModel.ts) and hands the user's answers to the connection.
import {
  type AgentsPresence,
  type AnswerReply,
  type AnswerStatus,
  noticeText,
  type QuestionItem,
  questionsView,
  readAgents,
  readQuestions,
  statusAfterReply,
} from './agentsModel';
import { AgentNotice } from './ui/agentNotice';
import { h } from './ui/dom';
import { QuestionsCard } from './ui/questionsCard';

/** How long a refusal about a question that is gone stays on screen. */
const FLASH_MS = 8000;

export interface AgentsSnapshot {
  /** Ids of the pending questions the page knows of (shown or counted). */
  questions: string[];
  /** Presence as the bridge last said; null while unknown. */
  agents: AgentsPresence | null;
  notice: string | null;
  /** Answers this page sent, by question id. */
  answers: Record<string, AnswerStatus>;
}

export class AgentsPanel {
  private readonly card: QuestionsCard;
  private readonly notice: AgentNotice;
  private questions: QuestionItem[] = [];
  private total = 0;
  private presence: AgentsPresence | null = null;
  private readonly answers = new Map<string, AnswerStatus>();
  private flash: string | null = null;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    parent: HTMLElement,
    private readonly send: (questionId: string, value: string) => void,
    private readonly ownSession: () => string | null,
  ) {
    const dock = h('div', { class: 'dock' });
    parent.appendChild(dock);
    this.card = new QuestionsCard(dock, { onAnswer: (id, value) => this.answer(id, value) });
    this.notice = new AgentNotice(dock);
  }

  /** A `questions` frame (socket) or a `GET /v1/questions` body (HTTP fallback). */
  onQuestions(msg: unknown): void {
    const read = readQuestions(msg);
    if (!read) return;
    this.questions = read.questions;
    this.total = read.total;
    const pending = new Set(read.questions.map((q) => q.questionId));
    for (const id of this.answers.keys()) if (!pending.has(id)) this.answers.delete(id);
    this.render();
  }

  /** An `agents` frame; null when the socket closed (presence unknown). */
  onAgents(msg: unknown | null): void {
    this.presence = msg === null ? null : readAgents(msg);
    if (msg === null) {
      // An answer sent on the socket that closed may never get its reply: let the user send it again (a
      // repeat is harmless: the first answer wins and a repeat only hears so).
      for (const [id, s] of this.answers) if (s.state === 'sending') this.answers.delete(id);
    }
    this.render();
  }

  /** The bridge's reply to an answer this page sent (socket frame or HTTP answer, made alike). */
  settle(reply: AnswerReply): void {
    const sent = this.answers.get(reply.questionId);
    const status = statusAfterReply(reply, sent?.value ?? '');
    const stillPending = this.questions.some((q) => q.questionId === reply.questionId);
    if (stillPending) this.answers.set(reply.questionId, status);
    // Answered elsewhere first: the card may already be gone, so the refusal is said on its own.
    if (status.state === 'refused' && !stillPending) this.showFlash(status.message);
    this.render();
  }

  snapshot(): AgentsSnapshot {
    return {
      questions: this.questions.map((q) => q.questionId),
      agents: this.presence && JSON.parse(JSON.stringify(this.presence)),
      notice: noticeText(this.presence, this.ownSession()),
      answers: Object.fromEntries(this.answers),
    };
  }

  render(): void {
    const own = this.ownSession();
    this.card.update(questionsView(this.questions, this.total, this.answers, own, this.flash));
    this.notice.update(noticeText(this.presence, own));
  }

  private answer(questionId: string, value: string): void {
    const s = this.answers.get(questionId);
    if (s?.state === 'sending' || s?.state === 'answered') return;
    this.answers.set(questionId, { state: 'sending', value });
    this.render();
    this.send(questionId, value);
  }

  private showFlash(message: string): void {
    this.flash = message;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      this.flash = null;
      this.render();
    }, FLASH_MS);
  }
}
