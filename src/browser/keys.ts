// Keyboard shortcuts outside the picker (which handles its own): while asking, Escape cancels and arrows move
// the selection; while cycling, ←/→ step through the variants and 1–9 jump to one. Keys typed into a text
// field (the page's or ours) are never taken.

export type KeyIntent =
  | { kind: 'cancel' }
  | { kind: 'move'; key: string; shift: boolean }
  | { kind: 'step'; delta: number }
  | { kind: 'show'; index: number };

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export function keyIntent(e: KeyLike, ctx: { asking: boolean; cycling: boolean }): KeyIntent | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (ctx.asking) {
    if (e.key === 'Escape') return { kind: 'cancel' };
    if (e.key.startsWith('Arrow')) return { kind: 'move', key: e.key, shift: e.shiftKey };
    return null;
  }
  if (!ctx.cycling || e.shiftKey) return null;
  if (e.key === 'ArrowLeft') return { kind: 'step', delta: -1 };
  if (e.key === 'ArrowRight') return { kind: 'step', delta: 1 };
  if (/^[1-9]$/.test(e.key)) return { kind: 'show', index: Number(e.key) - 1 };
  return null;
}

/** The real target (inside shadow roots too) takes text input: the key belongs to it. */
export function isEditableTarget(e: Event): boolean {
  const t = e.composedPath()[0];
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}
