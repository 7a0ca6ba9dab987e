// A tiny element builder. Text always goes in as text nodes: nothing from a journal or a source file is ever
// parsed as HTML.

export type Child = Node | string | null | undefined | false;

export interface Attrs {
  class?: string;
  title?: string;
  role?: string;
  [attr: `data-${string}`]: string;
  [attr: `aria-${string}`]: string;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function button(
  label: string,
  onClick: () => void,
  opts: { secondary?: boolean; title?: string } = {},
) {
  const b = h(
    'button',
    { class: opts.secondary ? 'secondary' : 'primary', ...(opts.title ? { title: opts.title } : {}) },
    label,
  );
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
