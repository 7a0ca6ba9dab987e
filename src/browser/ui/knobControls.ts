// Controls for the visible variant's knobs: a slider per range, a select per steps knob, a checkbox per
// toggle. Built once per (variant, knob set); values are patched in place so a drag is never interrupted.
import type { Knob } from '../../core/markers/types';
import { coerceParam, formatParam } from '../knobValues';
import type { Params, ParamValue } from '../types';
import { h, setText } from './dom';

export class KnobControls {
  readonly el: HTMLElement;
  private key = '';
  private knobs: Knob[] = [];
  private readonly inputs = new Map<
    string,
    { input: HTMLInputElement | HTMLSelectElement; output: HTMLElement }
  >();

  constructor(private readonly onChange: (id: string, value: ParamValue) => void) {
    this.el = h('div', {
      class: 'knobs',
      attrs: { role: 'group', 'aria-label': 'Variant parameters', hidden: true },
    });
  }

  /** Shows `knobs` with `params`; rebuilds only when the variant or its knob set changed. */
  update(variant: string | null, knobs: Knob[], params: Params): void {
    const key = `${variant}|${JSON.stringify(knobs)}`;
    if (key !== this.key) {
      this.key = key;
      this.knobs = knobs;
      this.build();
    }
    this.el.hidden = knobs.length === 0;
    for (const k of this.knobs) {
      const c = this.inputs.get(k.id);
      if (!c) continue;
      const v = coerceParam(k, params[k.id]);
      setText(c.output, formatParam(k, v));
      if (c.input instanceof HTMLInputElement && c.input.type === 'checkbox') c.input.checked = v === true;
      else if (c.input.value !== String(v)) c.input.value = String(v);
    }
  }

  private build(): void {
    this.inputs.clear();
    this.el.replaceChildren();
    for (const k of this.knobs) {
      const id = `lv-knob-${k.id}`;
      const output = h('output', { attrs: { for: id } });
      let input: HTMLInputElement | HTMLSelectElement;
      if (k.kind === 'range') {
        input = h('input', {
          attrs: { id, type: 'range', min: k.min, max: k.max, step: k.step ?? 'any', 'data-knob': k.id },
        });
        input.addEventListener('input', () => this.onChange(k.id, coerceParam(k, Number(input.value))));
      } else if (k.kind === 'steps') {
        const select = h('select', { attrs: { id, 'data-knob': k.id } });
        for (const o of k.options)
          select.appendChild(h('option', { text: o.label, attrs: { value: o.value } }));
        select.addEventListener('change', () => this.onChange(k.id, coerceParam(k, select.value)));
        input = select;
      } else {
        const box = h('input', { attrs: { id, type: 'checkbox', 'data-knob': k.id } });
        box.addEventListener('change', () => this.onChange(k.id, box.checked));
        input = box;
      }
      this.inputs.set(k.id, { input, output });
      this.el.appendChild(
        h('div', { class: 'knob' }, h('label', { text: k.label ?? k.id, attrs: { for: id } }), output, input),
      );
    }
  }
}
