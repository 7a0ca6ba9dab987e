// The questions card: what an agent asks the user, with a button per choice or a text field and Send. One item
// per question, kept across updates (keyed by question id) so an answer being typed survives a push; an item
// goes when the bridge no longer lists its question (answered here, in VS Code or from the CLI).
import type { QuestionCardView, QuestionsView } from '../agentsModel';
import { h, setHiddenEl, setText } from './dom';

export interface QuestionsHandlers {
  onAnswer(questionId: string, value: string): void;
}

interface Item {
  el: HTMLElement;
  asker: HTMLElement;
  text: HTMLElement;
  buttons: HTMLButtonElement[];
  input: HTMLInputElement | null;
  status: HTMLElement;
}

export class QuestionsCard {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLElement;
  private readonly flash: HTMLElement;
  /** Says a new question out loud (screen readers) without moving focus from what the user is doing. */
  private readonly announce: HTMLElement;
  private readonly items = new Map<string, Item>();

  constructor(
    parent: HTMLElement,
    private readonly handlers: QuestionsHandlers,
  ) {
    this.list = h('div', { class: 'qlist' });
    this.more = h('div', { class: 'hint', attrs: { hidden: true } });
    this.flash = h('div', { class: 'notice', attrs: { role: 'alert', hidden: true } });
    this.announce = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
    this.el = h(
      'section',
      {
        class: 'panel questions',
        attrs: { 'aria-label': 'Questions from your agent', hidden: true },
      },
      h('div', { class: 'title', text: 'Your agent asks' }),
      this.list,
      this.more,
      this.flash,
    );
    parent.append(this.el, this.announce);
  }

  update(v: QuestionsView): void {
    const keep = new Set(v.items.map((i) => i.questionId));
    for (const [id, item] of this.items) {
      if (keep.has(id)) continue;
      item.el.remove();
      this.items.delete(id);
    }
    v.items.forEach((view, index) => {
      let item = this.items.get(view.questionId);
      if (!item) {
        item = this.build(view);
        this.items.set(view.questionId, item);
        setText(this.announce, `${view.asker}: ${view.text}`);
      }
      if (this.list.children[index] !== item.el)
        this.list.insertBefore(item.el, this.list.children[index] ?? null);
      this.refresh(item, view);
    });
    setHiddenEl(this.more, v.more <= 0);
    if (v.more > 0) setText(this.more, `${v.more} more question${v.more === 1 ? '' : 's'} waiting.`);
    setHiddenEl(this.flash, v.flash === null);
    if (v.flash !== null) setText(this.flash, v.flash);
    this.el.setAttribute('data-count', String(v.items.length));
    setHiddenEl(this.el, v.items.length === 0 && v.flash === null);
  }

  private build(view: QuestionCardView): Item {
    const asker = h('div', { class: 'hint' });
    const text = h('div', { class: 'qtext' });
    const status = h('div', { class: 'hint qstatus', attrs: { role: 'status', 'aria-live': 'polite' } });
    const id = view.questionId;
    let buttons: HTMLButtonElement[];
    let input: HTMLInputElement | null = null;
    let answer: HTMLElement;
    if (view.choices) {
      buttons = view.choices.map((choice) =>
        h('button', {
          text: choice,
          attrs: { type: 'button', 'data-choice': choice },
          on: { click: () => this.handlers.onAnswer(id, choice) },
        }),
      );
      answer = h('div', { class: 'row', attrs: { role: 'group', 'aria-label': 'Answers' } }, ...buttons);
    } else {
      const field = h('input', {
        attrs: { type: 'text', 'aria-label': 'Your answer', placeholder: 'Your answer', maxlength: 4000 },
      });
      const send = () => {
        const value = field.value.trim();
        if (value) this.handlers.onAnswer(id, value);
      };
      field.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.isComposing) {
          e.preventDefault();
          send();
        }
      });
      const button = h('button', {
        class: 'primary',
        text: 'Send',
        attrs: { type: 'button', 'data-action': 'send-answer' },
        on: { click: send },
      });
      input = field;
      buttons = [button];
      answer = h('div', { class: 'row qanswer' }, field, button);
    }
    const el = h(
      'div',
      { class: 'question', attrs: { 'data-question-id': id, role: 'group' } },
      asker,
      text,
      answer,
      status,
    );
    return { el, asker, text, buttons, input, status };
  }

  private refresh(item: Item, view: QuestionCardView): void {
    setText(item.asker, view.asker);
    setText(item.text, view.text);
    item.el.setAttribute('aria-label', `${view.asker}: ${view.text}`);
    const s = view.status;
    const busy = s?.state === 'sending' || s?.state === 'answered';
    for (const b of item.buttons) {
      b.disabled = busy;
      const chosen = s !== null && b.getAttribute('data-choice') === s.value;
      b.setAttribute('aria-pressed', String(chosen));
    }
    if (item.input) item.input.disabled = busy;
    item.el.setAttribute('data-state', s?.state ?? 'open');
    const line =
      s === null
        ? ''
        : s.state === 'sending'
          ? 'Sending…'
          : s.state === 'answered'
            ? `Answered: ${s.value}`
            : s.message;
    setText(item.status, line);
    setHiddenEl(item.status, line === '');
  }
}
