// Keeps the page's variant block showing what the session says: the visible variant with its knob values
// while cycling, the accepted variant (or the original) once decided. Runs after every DOM mutation (hot
// reload swaps the nodes) and every state change, idempotently. Pages without hot reload get the block
// mounted from the source file once the agent reports the variants written.
import { paramsFor } from './knobValues';
import type { LocalSession } from './sessionModel';
import { blockFromSource, canMountFrom, mountBlock } from './sourceMount';
import type { Params, SessionState } from './types';
import {
  applyKnobs,
  findBlock,
  knobsOf,
  markupVisible,
  type PageBlock,
  readBlock,
  showVariant,
} from './variantsDom';

/** How long a hot-reloading page gets to deliver variants before the block is mounted from the source file. */
export const MOUNT_GRACE_MS = 500;

const WRITTEN_PHASES = ['variants_written', 'cycling', 'stranded', 'failed'];

export interface PageVariantsDeps {
  doc: Document;
  /** The session the page holds now (a mount for another one is dropped). */
  current(): LocalSession | null;
  fetchSource(path: string): Promise<string>;
  /** A block was mounted from source (the caller syncs again). */
  onMounted(): void;
  onError(message: string): void;
}

export class PageVariants {
  block: PageBlock | null = null;
  private mountTimer: ReturnType<typeof setTimeout> | undefined;
  /** Variants mounted from source for the current session (0: whatever is in the page came by itself). */
  private mounted = 0;

  constructor(private readonly deps: PageVariantsDeps) {}

  ids(): string[] {
    return this.block ? [...this.block.variants.keys()] : [];
  }

  element(variant: string | null): HTMLElement | undefined {
    return variant ? this.block?.variants.get(variant) : undefined;
  }

  /** A new session: nothing mounted for it yet. */
  reset(): void {
    clearTimeout(this.mountTimer);
    this.mountTimer = undefined;
    this.mounted = 0;
    this.block = null;
  }

  /**
   * Re-reads the session's block and applies the session to it. When the page shows a variant the session
   * has not chosen yet (first arrival), the session takes the markup's visible one with default knob values.
   */
  sync(s: LocalSession | null, remembered: Map<string, Params>): void {
    this.block = s ? findBlock(this.deps.doc, s.sessionId) : null;
    if (!s || !this.block) return;
    const block = this.block;
    if (s.decision?.type === 'accept') {
      showVariant(block, s.decision.variant);
      const el = block.variants.get(s.decision.variant);
      if (el) applyKnobs(el, knobsOf(el), s.decision.params);
      return;
    }
    if (s.decision?.type === 'discard') {
      showVariant(block, block.mode === 'insert' ? null : 'original');
      return;
    }
    const ids = this.ids();
    if (ids.length === 0) return;
    const visible = s.visible && ids.includes(s.visible) ? s.visible : (markupVisible(block) ?? ids[0]);
    const el = block.variants.get(visible)!;
    const knobs = knobsOf(el);
    if (s.visible !== visible) {
      s.visible = visible;
      s.params = paramsFor(knobs, remembered.get(visible));
    }
    showVariant(block, visible);
    applyKnobs(el, knobs, paramsFor(knobs, s.params));
  }

  /** Schedules a mount from source when the variants are written but not (all) in the page. */
  maybeMount(s: LocalSession | null, server: SessionState | null | undefined, picked: Element | null): void {
    if (!s || !server || !canMountFrom(server.file) || this.mountTimer !== undefined || s.decision) return;
    const inPage = this.ids().length;
    const missing = WRITTEN_PHASES.includes(server.phase) && inPage === 0;
    const behind = this.mounted > 0 && server.variantsSeen > inPage;
    if (!missing && !behind) return;
    const file = server.file;
    this.mountTimer = setTimeout(() => {
      void this.mount(s, file, picked).finally(() => {
        this.mountTimer = undefined;
      });
    }, MOUNT_GRACE_MS);
  }

  private async mount(s: LocalSession, file: string, picked: Element | null): Promise<void> {
    const before = findBlock(this.deps.doc, s.sessionId);
    if (before && before.variants.size > 0 && this.mounted === 0) return; // hot reload delivered them meanwhile
    let text: string;
    try {
      text = await this.deps.fetchSource(file);
    } catch (e) {
      this.deps.onError(
        `Could not read ${file} from the bridge: ${e instanceof Error ? e.message : String(e)}`,
      );
      return;
    }
    if (this.deps.current()?.sessionId !== s.sessionId) return;
    const block = blockFromSource(this.deps.doc, text, s.sessionId);
    if (!block) return;
    const count = readBlock(block.wrapper).variants.size;
    const now = findBlock(this.deps.doc, s.sessionId);
    if (count === 0 || (now && count <= now.variants.size)) return;
    if (
      mountBlock(this.deps.doc, block, { picked, element: s.element, mode: s.mode, position: s.position })
    ) {
      this.mounted = count;
      this.deps.onMounted();
    }
  }
}
