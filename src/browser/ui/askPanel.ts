// The "ask" panel for the picked element: where the variants go (replace it, or insert before/after it), a
// design action and/or a freeform prompt, how many variants (1–8), optional annotations, then Go.
import { LIMITS } from '../../core/protocol/limits';
import { h, setText } from './dom';

export interface AskRequest {
  mode: 'replace' | 'insert';
  position?: 'before' | 'after';
  action?: string;
  prompt: string;
  count: number;
}

/** A short list of design directions (the Impeccable skill's vocabulary); the prompt says anything else. */
export const DESIGN_ACTIONS: readonly { id: string; label: string }[] = [
  { id: 'bolder', label: 'Bolder' },
  { id: 'quieter', label: 'Quieter' },
  { id: 'distill', label: 'Simplify' },
  { id: 'colorize', label: 'Colorize' },
  { id: 'typeset', label: 'Typography' },
  { id: 'arrange', label: 'Layout' },
  { id: 'delight', label: 'Delight' },
];

export interface AskHandlers {
  onGo(request: AskRequest): void;
  onCancel(): void;
  onAnnotate(active: boolean): void;
  onAddNote(): void;
  onClearNotes(): void;
  /** Arrow keys while the panel has focus outside a text field move the selection. */
  onNavigate(key: string, shift: boolean): void;
}

type Placement = 'replace' | 'before' | 'after';

export const DEFAULT_COUNT = 3;

function isTextField(t: EventTarget | null): boolean {
  return t instanceof HTMLTextAreaElement || t instanceof HTMLInputElement || t instanceof HTMLSelectElement;
}

export class AskPanel {
  readonly el: HTMLElement;
  private readonly label: HTMLElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly count: HTMLInputElement;
  private readonly annotate: HTMLButtonElement;
  private readonly notes: HTMLElement;
  private readonly go: HTMLButtonElement;
  private readonly placementButtons = new Map<Placement, HTMLButtonElement>();
  private readonly actionButtons = new Map<string, HTMLButtonElement>();
  private placement: Placement = 'replace';
  private action: string | undefined;

  constructor(
    parent: HTMLElement,
    private readonly handlers: AskHandlers,
  ) {
    this.label = h('span', { class: 'mono' });
    const placements: [Placement, string][] = [
      ['replace', 'Replace'],
      ['before', 'Insert before'],
      ['after', 'Insert after'],
    ];
    const segmented = h('div', {
      class: 'segmented',
      attrs: { role: 'group', 'aria-label': 'Where the variants go' },
    });
    for (const [id, text] of placements) {
      const b = h('button', {
        text,
        attrs: { type: 'button', 'aria-pressed': id === 'replace' ? 'true' : 'false', 'data-placement': id },
        on: { click: () => this.setPlacement(id) },
      });
      this.placementButtons.set(id, b);
      segmented.appendChild(b);
    }
    const chips = h('div', { class: 'row chips', attrs: { role: 'group', 'aria-label': 'Design action' } });
    for (const a of DESIGN_ACTIONS) {
      const b = h('button', {
        text: a.label,
        attrs: { type: 'button', 'aria-pressed': 'false', 'data-action': a.id },
        on: { click: () => this.toggleAction(a.id) },
      });
      this.actionButtons.set(a.id, b);
      chips.appendChild(b);
    }
    this.prompt = h('textarea', {
      attrs: {
        placeholder: 'Describe what to try (optional)',
        maxlength: LIMITS.prompt,
        'aria-label': 'Prompt for the agent',
        rows: 3,
      },
    });
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.count = h('input', {
      attrs: {
        type: 'number',
        min: 1,
        max: LIMITS.countMax,
        step: 1,
        value: DEFAULT_COUNT,
        'aria-label': 'Number of variants',
      },
    });
    const stepCount = (d: number) => {
      this.count.value = String(this.countValue() + d);
      this.count.value = String(this.countValue());
    };
    this.annotate = h('button', {
      text: 'Annotate',
      attrs: {
        type: 'button',
        'aria-pressed': 'false',
        title: 'Click the element to pin a note, drag to draw',
      },
      on: {
        click: () => {
          const on = this.annotate.getAttribute('aria-pressed') !== 'true';
          this.annotate.setAttribute('aria-pressed', String(on));
          this.handlers.onAnnotate(on);
        },
      },
    });
    this.notes = h('span', { class: 'hint', attrs: { 'aria-live': 'polite' } });
    this.go = h('button', {
      class: 'primary',
      text: 'Go',
      attrs: { type: 'button' },
      on: { click: () => this.submit() },
    });

    this.el = h(
      'div',
      { class: 'card ask', attrs: { role: 'dialog', 'aria-label': 'Ask for variants', hidden: true } },
      h(
        'div',
        { class: 'row spread' },
        h('span', { class: 'title' }, 'Variants for ', this.label),
        h('button', {
          text: '✕',
          attrs: { type: 'button', 'aria-label': 'Cancel (Escape)', title: 'Cancel (Escape)' },
          on: { click: () => this.handlers.onCancel() },
        }),
      ),
      h('div', { class: 'hint' }, 'Arrows: siblings · Shift+arrows: parent/child'),
      segmented,
      chips,
      this.prompt,
      h(
        'div',
        { class: 'row' },
        h('span', { class: 'muted' }, 'Variants'),
        h('button', {
          text: '−',
          attrs: { type: 'button', 'aria-label': 'Fewer variants' },
          on: { click: () => stepCount(-1) },
        }),
        this.count,
        h('button', {
          text: '+',
          attrs: { type: 'button', 'aria-label': 'More variants' },
          on: { click: () => stepCount(1) },
        }),
      ),
      h(
        'div',
        { class: 'row' },
        this.annotate,
        h('button', {
          text: 'Add note',
          attrs: { type: 'button' },
          on: { click: () => this.handlers.onAddNote() },
        }),
        h('button', {
          text: 'Clear',
          attrs: { type: 'button' },
          on: { click: () => this.handlers.onClearNotes() },
        }),
        this.notes,
      ),
      h(
        'div',
        { class: 'row spread' },
        h('button', {
          text: 'Cancel',
          attrs: { type: 'button' },
          on: { click: () => this.handlers.onCancel() },
        }),
        this.go,
      ),
    );
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.handlers.onCancel();
      } else if (e.key.startsWith('Arrow') && !isTextField(e.target)) {
        e.preventDefault();
        this.handlers.onNavigate(e.key, e.shiftKey);
      }
    });
    parent.appendChild(this.el);
  }

  open(label: string): void {
    setText(this.label, label);
    this.annotate.setAttribute('aria-pressed', 'false');
    this.el.hidden = false;
    this.prompt.focus();
  }

  setTarget(label: string): void {
    setText(this.label, label);
  }

  setNotes(pins: number, strokes: number): void {
    const parts = [];
    if (pins > 0) parts.push(`${pins} note${pins === 1 ? '' : 's'}`);
    if (strokes > 0) parts.push(`${strokes} stroke${strokes === 1 ? '' : 's'}`);
    setText(this.notes, parts.join(', '));
  }

  close(): void {
    this.el.hidden = true;
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  private countValue(): number {
    const n = Math.round(Number(this.count.value));
    return Number.isFinite(n) ? Math.min(LIMITS.countMax, Math.max(1, n)) : DEFAULT_COUNT;
  }

  private setPlacement(p: Placement): void {
    this.placement = p;
    for (const [id, b] of this.placementButtons) b.setAttribute('aria-pressed', String(id === p));
  }

  private toggleAction(id: string): void {
    this.action = this.action === id ? undefined : id;
    for (const [a, b] of this.actionButtons) b.setAttribute('aria-pressed', String(a === this.action));
  }

  private submit(): void {
    const request: AskRequest = {
      mode: this.placement === 'replace' ? 'replace' : 'insert',
      prompt: this.prompt.value.trim().slice(0, LIMITS.prompt),
      count: this.countValue(),
    };
    if (this.placement !== 'replace') request.position = this.placement;
    if (this.action) request.action = this.action;
    this.prompt.value = '';
    this.handlers.onGo(request);
  }
}
