// Turns marker changes on disk into session events: the agent's wrapper appearing (`source.wrapped`),
// variants appearing (`source.variants_seen`). Markers are truth; the machine decides whether an
// observation means anything in the session's current state, so only applicable events are journaled.

import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { SessionEngine } from '../core/engine';
import type { SessionEvent } from '../core/machine';
import { languageForPath } from '../core/markers/language';
import { scanText } from '../core/markers/scan';

export async function observeFile(engine: SessionEngine, root: string, absPath: string): Promise<number> {
  if (languageForPath(absPath) === null) return 0;
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch {
    return 0;
  }
  if (!text.includes('impeccable-')) return 0;
  const file = relative(root, absPath).split(sep).join('/');
  const scan = scanText(text, { path: absPath });
  let recorded = 0;
  for (const block of scan.blocks) {
    const view = engine.view(block.sessionId);
    if (!view) continue;
    const found = block.foundCount;
    const event: SessionEvent =
      found > 0 ? { type: 'source.variants_seen', count: found, file } : { type: 'source.wrapped', file };
    if (!engine.wouldAccept(block.sessionId, event)) continue;
    await engine.submit(block.sessionId, `observed:${event.type}:${found}:${view.lastSeq}`, event);
    recorded++;
  }
  return recorded;
}
