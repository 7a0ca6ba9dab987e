// What a scripted agent does to source in tests: wrap the picked element (the real core wrap) and write
// numbered variants below the "insert below" line, the way agents using the marker format do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanText } from '../../src/core/markers/scan';
import { wrapInWorkspace } from '../../src/core/rewrite/workspaceOps';

export const SITE_HTML = `<!doctype html>
<html lang="en">
  <body>
    <main>
      <section id="hero" class="hero">
        <h1>Welcome</h1>
        <p>Calm deploys.</p>
      </section>
    </main>
  </body>
</html>
`;

export async function agentWraps(
  root: string,
  file: string,
  sessionId: string,
  count: number,
): Promise<void> {
  await wrapInWorkspace(root, {
    file,
    sessionId,
    count,
    element: { tag: 'section', id: 'hero', classes: ['hero'], text: 'Welcome' },
    isIgnored: () => false,
  });
}

/** Writes variants 1..n (variant k adds the class hero--vk; variant 1 has a range knob). */
export function agentWritesVariants(root: string, file: string, sessionId: string, n: number): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const block = scanText(text, { path }).blocks.find((b) => b.sessionId === sessionId);
  if (!block) throw new Error(`no block for ${sessionId} in ${file}`);
  const lineStart = text.lastIndexOf('\n', block.variantsOffset - 1) + 1;
  // Variants sit at the indentation of the line above (the "insert below" comment).
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const indent = /^[ \t]*/.exec(text.slice(prevStart))![0];
  const variants: string[] = [];
  for (let k = 1; k <= n; k++) {
    const hidden = k === 1 ? '' : ' style="display: none"';
    const params =
      k === 1
        ? ` data-impeccable-params='[{"id":"pad","kind":"range","min":0,"max":48,"step":4,"default":16,"unit":"px"}]'`
        : '';
    variants.push(
      `${indent}<div data-impeccable-variant="${k}"${params}${hidden}>\n` +
        `${indent}  <section id="hero" class="hero hero--v${k}">\n` +
        `${indent}    <h1>Welcome v${k}</h1>\n` +
        `${indent}  </section>\n` +
        `${indent}</div>\n`,
    );
  }
  const at = lineStart;
  writeFileSync(path, text.slice(0, at) + variants.join('') + text.slice(at));
}
