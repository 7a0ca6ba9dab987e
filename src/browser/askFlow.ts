// Pick and ask: the picker, the highlight, the ask panel and the annotation layer, from "Live Variants"
// clicked to Go. It hands the controller one request per Go; everything before that is local to the page.
import { elementLabel } from './elementContext';
import { navigate, Picker } from './picker';
import type { Annotations } from './types';
import { Annotator } from './ui/annotator';
import { AskPanel, type AskRequest } from './ui/askPanel';
import { Highlight } from './ui/highlight';
import type { UiRoot } from './ui/root';

export interface Ask {
  request: AskRequest;
  target: Element;
  annotations: Annotations | undefined;
}

export class AskFlow {
  private readonly highlight: Highlight;
  private readonly picker: Picker;
  private readonly panel: AskPanel;
  private readonly annotator: Annotator;
  private picked: Element | null = null;

  constructor(
    doc: Document,
    private readonly ui: UiRoot,
    private readonly onGo: (ask: Ask) => void,
    private readonly onChange: () => void,
  ) {
    this.highlight = new Highlight(ui.layer);
    this.annotator = new Annotator(ui.layer, () => {
      const data = this.annotator.data();
      this.panel?.setNotes(data?.pins?.length ?? 0, data?.strokes?.length ?? 0);
    });
    const isOwn = (n: EventTarget | null) => ui.contains(n);
    this.picker = new Picker(
      doc,
      this.highlight,
      isOwn,
      (el) => this.onPicked(el),
      () => this.cancel(),
    );
    this.panel = new AskPanel(ui.layer, {
      onGo: (request) => this.go(request),
      onCancel: () => this.cancel(),
      onAnnotate: (on) => this.annotator.setActive(on),
      onAddNote: () => this.annotator.addNoteAtCentre(),
      onClearNotes: () => this.annotator.clear(),
      onNavigate: (key, shift) => this.move(key, shift),
    });
  }

  get picking(): boolean {
    return this.picker.isActive;
  }

  get asking(): boolean {
    return this.panel.isOpen;
  }

  get busy(): boolean {
    return this.picking || this.asking;
  }

  /** The element the user last picked, while this page still holds it (mount target without hot reload). */
  get target(): Element | null {
    return this.picked;
  }

  get pickedLabel(): string | null {
    return this.picked && this.asking ? elementLabel(this.picked) : null;
  }

  start(): void {
    this.picker.start();
    this.onChange();
  }

  cancel(): void {
    this.picker.stop();
    this.panel.close();
    this.annotator.clear();
    this.annotator.setActive(false);
    this.highlight.show(null);
    this.picked = null;
    this.onChange();
  }

  /** Arrow keys while asking (focus in the page): siblings, Shift for parent/child. */
  move(key: string, shift: boolean): void {
    if (!this.picked) return;
    const next = navigate(this.picked, key, shift, (n) => this.ui.contains(n));
    if (!next) return;
    this.picked = next;
    this.highlight.show(next, true);
    this.annotator.attach(next);
    this.panel.setTarget(elementLabel(next));
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    this.onChange();
  }

  private onPicked(el: Element): void {
    this.picked = el;
    this.highlight.show(el, true);
    this.annotator.attach(el);
    this.annotator.setActive(false);
    this.panel.open(elementLabel(el));
    this.onChange();
  }

  private go(request: AskRequest): void {
    const target = this.picked;
    if (!target) return;
    const annotations = this.annotator.data();
    this.panel.close();
    this.annotator.clear();
    this.annotator.setActive(false);
    this.highlight.show(null);
    this.onGo({ request, target, annotations });
    this.onChange();
  }
}
