// Annotations on the picked element before Go: short text notes pinned to points, and a few freehand strokes.
// Coordinates are CSS pixels relative to the element's top-left corner; the notes and strokes travel with the
// generate event and are drawn onto the uploaded screenshot.
import { LIMITS } from '../../core/protocol/limits';
import type { Annotations } from '../types';
import { h, placeBox, svg } from './dom';

export interface Pin {
  x: number;
  y: number;
  text: string;
}

export interface Stroke {
  points: [number, number][];
}

/** Halves a stroke's points until it fits the protocol's cap (keeps both ends). */
export function capPoints(points: [number, number][], max: number): [number, number][] {
  let out = points;
  while (out.length > max) {
    const last = out[out.length - 1];
    out = out.filter((_, i) => i % 2 === 0);
    if (out[out.length - 1] !== last) out.push(last);
    if (out.length > max) out = out.slice(0, max);
  }
  return out;
}

export class Annotator {
  readonly layer: HTMLElement;
  private readonly canvas: SVGSVGElement;
  private readonly pins: Pin[] = [];
  private readonly strokes: Stroke[] = [];
  private target: Element | null = null;
  private drawing: { stroke: Stroke; line: SVGPolylineElement; moved: number } | null = null;
  private active = false;
  private readonly onViewport = () => this.place();

  constructor(
    parent: HTMLElement,
    private readonly onChange: () => void,
  ) {
    this.canvas = svg('svg');
    this.layer = h(
      'div',
      {
        class: 'annotate-layer',
        attrs: { hidden: true, 'aria-label': 'Annotation area: click to pin a note, drag to draw' },
      },
      this.canvas as unknown as Node,
    );
    this.layer.addEventListener('pointerdown', (e) => this.down(e));
    this.layer.addEventListener('pointermove', (e) => this.move(e));
    this.layer.addEventListener('pointerup', (e) => this.up(e));
    parent.appendChild(this.layer);
    window.addEventListener('scroll', this.onViewport, { capture: true, passive: true });
    window.addEventListener('resize', this.onViewport, { passive: true });
  }

  attach(target: Element): void {
    this.target = target;
    this.clear();
    this.place();
  }

  setActive(active: boolean): void {
    this.active = active;
    this.layer.style.setProperty('pointer-events', active ? 'auto' : 'none');
    this.layer.hidden = !this.target || (!active && this.isEmpty());
    this.place();
  }

  get isActive(): boolean {
    return this.active;
  }

  isEmpty(): boolean {
    return this.pins.length === 0 && this.strokes.length === 0;
  }

  clear(): void {
    this.pins.length = 0;
    this.strokes.length = 0;
    this.canvas.replaceChildren();
    for (const el of Array.from(this.layer.querySelectorAll('.pin, .pin-input'))) el.remove();
    this.onChange();
  }

  /** The annotations for the generate event, or undefined when there are none. */
  data(): Annotations | undefined {
    if (this.isEmpty()) return undefined;
    const out: Annotations = {};
    if (this.pins.length > 0) out.pins = this.pins.map((p) => ({ ...p }));
    if (this.strokes.length > 0)
      out.strokes = this.strokes.map((s) => ({ points: s.points.map((p) => [p[0], p[1]]) }));
    return out;
  }

  /** Adds a note from the keyboard: at the element's centre, with its text field focused. */
  addNoteAtCentre(): void {
    const r = this.target?.getBoundingClientRect();
    if (!r) return;
    this.promptPin(Math.round(r.width / 2), Math.round(r.height / 2));
  }

  destroy(): void {
    window.removeEventListener('scroll', this.onViewport, { capture: true });
    window.removeEventListener('resize', this.onViewport);
    this.layer.remove();
  }

  private place(): void {
    const t = this.target;
    if (!t?.isConnected) {
      this.layer.hidden = true;
      return;
    }
    const r = t.getBoundingClientRect();
    placeBox(this.layer, { left: r.left, top: r.top, width: r.width, height: r.height });
  }

  private local(e: PointerEvent): [number, number] {
    const r = this.layer.getBoundingClientRect();
    return [Math.round(e.clientX - r.left), Math.round(e.clientY - r.top)];
  }

  private down(e: PointerEvent): void {
    if (!this.active || e.button !== 0 || (e.target as Element).closest?.('.pin-input')) return;
    e.preventDefault();
    this.layer.setPointerCapture?.(e.pointerId);
    const line = svg('polyline', {
      fill: 'none',
      stroke: '#ffb547',
      'stroke-width': 3,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    });
    const stroke: Stroke = { points: [this.local(e)] };
    this.drawing = { stroke, line, moved: 0 };
    this.canvas.appendChild(line);
    this.redraw(line, stroke);
  }

  private move(e: PointerEvent): void {
    const d = this.drawing;
    if (!d) return;
    const p = this.local(e);
    const last = d.stroke.points[d.stroke.points.length - 1];
    const dist = Math.hypot(p[0] - last[0], p[1] - last[1]);
    if (dist < 2) return;
    d.moved += dist;
    d.stroke.points.push(p);
    this.redraw(d.line, d.stroke);
  }

  private up(e: PointerEvent): void {
    const d = this.drawing;
    if (!d) return;
    this.drawing = null;
    if (d.moved < 4) {
      // A click, not a stroke: pin a note there.
      d.line.remove();
      const [x, y] = d.stroke.points[0];
      this.promptPin(x, y);
      return;
    }
    if (this.strokes.length >= LIMITS.strokes) {
      d.line.remove();
      return;
    }
    d.stroke.points = capPoints(d.stroke.points, LIMITS.strokePoints);
    this.strokes.push(d.stroke);
    this.layer.releasePointerCapture?.(e.pointerId);
    this.onChange();
  }

  private redraw(line: SVGPolylineElement, stroke: Stroke): void {
    line.setAttribute('points', stroke.points.map((p) => `${p[0]},${p[1]}`).join(' '));
  }

  private promptPin(x: number, y: number): void {
    if (this.pins.length >= LIMITS.pins) return;
    for (const el of Array.from(this.layer.querySelectorAll('.pin-input'))) el.remove();
    const input = h('input', {
      class: 'pin-input',
      attrs: {
        type: 'text',
        maxlength: LIMITS.pinText,
        placeholder: 'Note, then Enter',
        'aria-label': 'Note text',
      },
    });
    input.style.setProperty('left', `${x}px`);
    input.style.setProperty('top', `${y}px`);
    const commit = () => {
      const text = input.value.trim().slice(0, LIMITS.pinText);
      input.remove();
      if (text !== '') this.addPin({ x, y, text });
    };
    input.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Enter') {
        e.preventDefault();
        commit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        input.remove();
      }
    });
    input.addEventListener('blur', () => {
      if (input.isConnected) commit();
    });
    this.layer.hidden = false;
    this.layer.appendChild(input);
    input.focus();
  }

  private addPin(pin: Pin): void {
    this.pins.push(pin);
    const el = h('div', { class: 'pin', text: `${this.pins.length}. ${pin.text}` });
    el.style.setProperty('left', `${pin.x}px`);
    el.style.setProperty('top', `${pin.y}px`);
    this.layer.appendChild(el);
    this.onChange();
  }
}
