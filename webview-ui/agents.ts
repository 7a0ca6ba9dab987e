// The Agents panel: pending questions with their answer controls, then every agent the bridge knows with its
// presence, the work it holds, its last action and Interrupt. Clicking an agent shows its log (logView.ts).
// Questions are rebuilt only when the questions themselves change, so an answer being typed survives the
// agent list refreshing around it.
import { button, h } from './dom';
import { type AgentCard, type AgentsState, MAX_ANSWER_CHARS, type QuestionCard } from './protocol';
import { timeAgo } from './timeAgo';

export interface AgentHandlers {
  select(agentId: string): void;
  interrupt(agentId: string): void;
  answer(questionId: string, value: string): void;
  resumeWork(): void;
}

const PRESENCE_TEXT: Record<AgentCard['presence'], string> = {
  online: 'online',
  idle: 'idle',
  offline: 'offline',
};

function leaseText(a: AgentCard): string {
  return a.lease ? `working on ${a.lease.kind} of ${a.lease.sessionId}` : 'no work leased';
}

function agoSpan(iso: string, now: number): HTMLElement {
  return h('span', { class: 'ago', 'data-at': iso, title: iso }, timeAgo(iso, now));
}

export class AgentsPanel {
  /** Questions wait for the user, like pending decisions: they sit near the top of the view. */
  readonly questionsEl: HTMLElement;
  readonly agentsEl: HTMLElement;
  private questionsKey = '';
  /** Free-text answers being typed, by question id. */
  private readonly drafts = new Map<string, string>();
  private readonly sent = new Set<string>();

  constructor(private readonly hs: AgentHandlers) {
    this.questionsEl = h('section', { class: 'questions', 'aria-label': 'Questions from agents' });
    this.agentsEl = h('section', { class: 'agents', 'aria-label': 'Agents' });
  }

  render(state: AgentsState, selected: string | null, now: number): void {
    this.renderQuestions(state.questions, now);
    this.renderAgents(state, selected, now);
  }

  /** Refreshes the "… ago" texts without rebuilding anything. */
  tick(now: number): void {
    for (const el of [this.questionsEl, this.agentsEl].flatMap((r) => [
      ...r.querySelectorAll<HTMLElement>('.ago'),
    ])) {
      const at = el.dataset.at;
      if (at) el.textContent = timeAgo(at, now);
    }
  }

  private renderQuestions(questions: QuestionCard[], now: number): void {
    const key = JSON.stringify(questions);
    if (key === this.questionsKey) return;
    this.questionsKey = key;
    const open = new Set(questions.map((q) => q.questionId));
    for (const id of this.drafts.keys()) if (!open.has(id)) this.drafts.delete(id);
    for (const id of this.sent) if (!open.has(id)) this.sent.delete(id);
    if (questions.length === 0) {
      this.questionsEl.replaceChildren();
      return;
    }
    this.questionsEl.replaceChildren(
      h('h2', {}, `Questions (${questions.length})`),
      h('ul', { class: 'list' }, ...questions.map((q) => this.questionItem(q, now))),
    );
  }

  private questionItem(q: QuestionCard, now: number): HTMLElement {
    const actions = h('div', { class: 'actions' });
    const sent = this.sent.has(q.questionId);
    const send = (value: string) => {
      this.sent.add(q.questionId);
      for (const b of actions.querySelectorAll('button')) b.disabled = true;
      this.hs.answer(q.questionId, value);
    };
    if (q.choices) {
      for (const c of q.choices) {
        const b = button(c, () => send(c), { title: `Answer "${c}"` });
        b.disabled = sent;
        actions.append(b);
      }
    } else {
      const input = h('input', { class: 'answer-input', 'aria-label': `Answer to: ${q.text}` });
      input.type = 'text';
      input.maxLength = MAX_ANSWER_CHARS;
      input.placeholder = 'Your answer';
      input.value = this.drafts.get(q.questionId) ?? '';
      const submit = button('Answer', () => {
        if (input.value.trim()) send(input.value);
      });
      submit.disabled = sent;
      input.addEventListener('input', () => this.drafts.set(q.questionId, input.value));
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && input.value.trim() && !submit.disabled) send(input.value);
      });
      actions.append(input, submit);
    }
    return h(
      'li',
      { class: 'question', 'data-question': q.questionId },
      h(
        'div',
        { class: 'meta' },
        h('strong', {}, q.agentName),
        q.sessionId ? h('code', {}, q.sessionId) : null,
        agoSpan(q.askedAt, now),
      ),
      h('div', { class: 'question-text' }, q.text),
      actions,
      sent ? h('div', { class: 'muted' }, 'Sending…') : null,
    );
  }

  private renderAgents(state: AgentsState, selected: string | null, now: number): void {
    const head = h(
      'div',
      { class: 'section-head' },
      h('h2', {}, `Agents (${state.agents.length})`),
      button('Resume work', () => this.hs.resumeWork(), {
        secondary: true,
        title: 'Resume stranded sessions and queue their lost work again',
      }),
    );
    const parts: Node[] = [head];
    if (state.source === 'no_bridge') {
      parts.push(h('p', { class: 'muted' }, 'Agents talk to the bridge; it is not running.'));
    } else if (state.source === 'error') {
      parts.push(h('p', { class: 'warn' }, `Could not read the agents: ${state.message ?? 'unknown error'}`));
    }
    if (state.agents.length === 0) {
      if (state.source !== 'no_bridge') {
        parts.push(
          h(
            'p',
            { class: 'muted' },
            'No agent has reached the bridge yet. Agents appear when they run live-variants poll, log or ask.',
          ),
        );
      }
    } else {
      parts.push(
        h(
          'ul',
          { class: 'list agent-list' },
          ...state.agents.map((a) => this.agentItem(a, a.agentId === selected, now)),
        ),
      );
    }
    this.agentsEl.replaceChildren(...parts);
  }

  private agentItem(a: AgentCard, isSelected: boolean, now: number): HTMLElement {
    const interrupt = button('Interrupt', () => this.hs.interrupt(a.agentId), {
      secondary: true,
      title: `Revoke ${a.name}'s work and tell it to stop at its next poll`,
    });
    interrupt.addEventListener('click', (e) => e.stopPropagation());
    const item = h(
      'li',
      {
        class: isSelected ? 'agent selected' : 'agent',
        'data-agent': a.agentId,
        'data-presence': a.presence,
        'aria-selected': isSelected ? 'true' : 'false',
      },
      h(
        'div',
        { class: 'card-title' },
        h('span', {
          class: `dot dot-${a.presence}`,
          role: 'img',
          'aria-label': PRESENCE_TEXT[a.presence],
          title: PRESENCE_TEXT[a.presence],
        }),
        h('strong', { class: 'agent-name' }, a.name),
        h('span', { class: 'muted' }, a.harness),
        h('span', { class: `presence presence-${a.presence}` }, PRESENCE_TEXT[a.presence]),
      ),
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'lease' }, leaseText(a)),
        h(
          'span',
          { class: 'muted last-action' },
          `${a.lastAction.action}${a.lastAction.detail ? ` (${a.lastAction.detail})` : ''} `,
          agoSpan(a.lastAction.at, now),
        ),
      ),
      a.interrupt
        ? h(
            'div',
            { class: 'warn' },
            `Interrupted: ${a.interrupt.reason}${a.interrupt.delivered ? ' (told)' : ' (not told yet)'}`,
          )
        : null,
      h('div', { class: 'actions' }, interrupt),
    );
    item.tabIndex = 0;
    item.addEventListener('click', () => this.hs.select(a.agentId));
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target === item) this.hs.select(a.agentId);
    });
    return item;
  }
}
