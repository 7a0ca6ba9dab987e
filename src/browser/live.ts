// The preview client (bundled to dist/live.js, served by the bridge at /live.js). The page loads it with a
// plain <script src="<bridge>/live.js"> that carries no secret: the bridge origin comes from that src, and
// the script asks the bridge for a browser token itself (docs/browser.md).
import { LiveClient } from './controller';
import type { ClientSnapshot } from './snapshot';

export interface LiveVariantsHook {
  version: 1;
  /** The client's state as plain JSON (for tests and the console). */
  state(): ClientSnapshot;
  /** Page-clock timestamps of the last session's milestones (benchmarks). */
  metrics(): Record<string, number | null>;
}

declare global {
  interface Window {
    __liveVariants?: LiveVariantsHook;
  }
}

function bridgeOrigin(script: HTMLOrSVGScriptElement | null): string | null {
  const src = script instanceof HTMLScriptElement ? script.src : '';
  try {
    const url = new URL(src);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function boot(origin: string): void {
  const client = new LiveClient(document, origin);
  window.__liveVariants = {
    version: 1,
    state: () => client.snapshot(),
    metrics: () => client.metricsSnapshot(),
  };
  client.start();
}

// `currentScript` is only set while this script first runs, so read it before anything waits.
const origin = bridgeOrigin(document.currentScript);
if (!origin) {
  console.warn(
    'live-variants: load live.js with <script src="<bridge url>/live.js">; no bridge origin found.',
  );
} else if (!window.__liveVariants) {
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => boot(origin), { once: true });
  else boot(origin);
}
