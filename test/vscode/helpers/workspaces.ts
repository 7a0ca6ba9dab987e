// Sample workspaces with sessions in progress, written the way they happen for real: the site's files hold the
// markers an agent writes, and the journal is produced by the session engine itself (generate, the agent's
// lease and ack, browser checkpoints, an accept applied by the rewriter). Used by the VS Code tests, the bench
// and the demo (scripts/demo.mjs bundles this file).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { saveIdentity } from '../../../src/bridge/discovery';
import { newToken } from '../../../src/bridge/security';
import { SessionEngine } from '../../../src/core/engine';
import { instrumentText, liveScriptUrl } from '../../../src/core/instrument';
import { acceptVariant } from '../../../src/core/rewrite/accept';
import { discardVariants } from '../../../src/core/rewrite/discard';
import { applyEdit } from '../../../src/core/rewrite/textEdit';

export const DEMO_SESSION = '5eed1234';
export const DEMO_CLEANUP_SESSION = 'c1ea0001';

export interface VariantSpec {
  /** The element as it was (one line of markup). */
  original: string;
  variants: string[];
  /** CSS for the style block; none when omitted. */
  css?: string;
  indent?: string;
}

/** An HTML-flavour variant block as the Impeccable skill writes it (variant 1 shown, the rest hidden). */
export function variantBlock(sessionId: string, spec: VariantSpec): string {
  const i = spec.indent ?? '    ';
  const lines = [
    `${i}<!-- impeccable-variants-start ${sessionId} -->`,
    `${i}<div data-impeccable-variants="${sessionId}" data-impeccable-variant-count="${spec.variants.length}" style="display: contents">`,
    `${i}  <!-- Original -->`,
    `${i}  <div data-impeccable-variant="original">`,
    `${i}    ${spec.original}`,
    `${i}  </div>`,
    `${i}  <!-- Variants: insert below this line -->`,
  ];
  if (spec.css) {
    lines.push(`${i}  <style data-impeccable-css="${sessionId}">`);
    for (const l of spec.css.trim().split('\n')) lines.push(`${i}    ${l.trim()}`);
    lines.push(`${i}  </style>`);
  }
  spec.variants.forEach((v, n) => {
    const hidden = n === 0 ? '' : ' style="display: none"';
    lines.push(`${i}  <div data-impeccable-variant="${n + 1}"${hidden}>`, `${i}    ${v}`, `${i}  </div>`);
  });
  lines.push(`${i}</div>`, `${i}<!-- impeccable-variants-end ${sessionId} -->`);
  return lines.join('\n');
}

/** The headline block of demo/index.html (the driven-session test writes the same block for another session). */
export const HERO: VariantSpec = {
  original: '<h1 class="hero-title">Ship calmer releases</h1>',
  variants: [
    '<h1 class="hero-title hero-title--tight">Ship calmer releases</h1>',
    '<h1 class="hero-title hero-title--serif">Ship <em>calmer</em> releases</h1>',
    '<h1 class="hero-title hero-title--caps">SHIP CALMER RELEASES</h1>',
  ],
  css: `
[data-impeccable-variant="1"] .hero-title--tight { letter-spacing: -0.04em; }
[data-impeccable-variant="2"] .hero-title--serif { font-family: Georgia, serif; }
[data-impeccable-variant="3"] .hero-title--caps { letter-spacing: 0.12em; font-size: 2.2rem; }`,
};

export interface SeedSession {
  sessionId: string;
  /** Workspace-relative file holding the block. */
  file: string;
  count: number;
  /** The variant the page last showed (checkpoint): the session is `cycling`; none: `variants_written`. */
  visible?: number;
  pageUrl?: string;
  /** Accept this variant and apply it with the rewriter (carbonize when the block has CSS). */
  accept?: number;
}

/** Journals a session the way a browser and an agent would have produced it. */
export async function seedSession(root: string, journalDir: string, s: SeedSession): Promise<void> {
  const engine = await SessionEngine.open({ journalDir, acceptBy: 'agent' });
  try {
    await engine.submitBrowserEvent({
      type: 'generate',
      sessionId: s.sessionId,
      eventId: `seed-generate-${s.sessionId}`,
      mode: 'replace',
      count: s.count,
      prompt: 'make it feel more confident',
      fileHint: s.file,
      element: { tag: 'h1', classes: ['hero-title'], text: 'Ship calmer releases', pageUrl: s.pageUrl },
    });
    const grant = engine.lease({ kinds: ['generate'], agentId: 'seed-agent' });
    if (!grant) throw new Error('seed: the generate was not queued');
    await engine.ack(grant.lease.leaseId, { type: 'done', file: s.file, count: s.count });
    if (s.visible !== undefined) {
      await engine.submitBrowserEvent({
        type: 'checkpoint',
        sessionId: s.sessionId,
        eventId: `seed-checkpoint-${s.sessionId}`,
        owner: 'tab-seed',
        revision: 1,
        variant: String(s.visible),
        params: {},
      });
    }
    if (s.accept !== undefined) {
      const variant = String(s.accept);
      await engine.submit(s.sessionId, `seed-accept-${s.sessionId}`, { type: 'browser.accept', variant });
      const path = join(root, s.file);
      const text = readFileSync(path, 'utf8');
      const r = acceptVariant(text, { sessionId: s.sessionId, variant, path: s.file });
      if (r.status !== 'applied') throw new Error('seed: accept did not apply');
      writeFileSync(path, applyEdit(text, r.edit));
      await engine.submit(
        s.sessionId,
        `accept-applied:${s.sessionId}`,
        { type: 'accept.applied', carbonize: r.carbonize, variant, params: {} },
        {
          extra: { by: 'seed', edit: { file: s.file } },
          enqueue: r.carbonize ? 'carbonize_cleanup' : undefined,
        },
      );
    }
  } finally {
    await engine.close();
  }
}

export interface SampleSite {
  root: string;
  journalDir: string;
  bridgePort: number;
  token: string;
}

/** The sample site in the repository (demo/): pages whose markers match the sessions seeded below. */
export const DEMO_DIR = resolve(__dirname, '..', '..', '..', 'demo');
const DEMO_FILES = ['index.html', 'about.html', 'styles.css', 'README.md'];

/** Restores a block's original (as if the agent had never written it), for workspaces without that session. */
function withoutSession(root: string, file: string, sessionId: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const r = discardVariants(text, { sessionId, path: file });
  if (r.status === 'applied') writeFileSync(path, applyEdit(text, r.edit));
}

export interface SampleSiteOptions {
  bridgePort: number;
  siteUrl: string;
  /** `all` (default): both sessions; `hero`: only the cycled headline; `none`: no markers, no sessions. */
  sessions?: 'all' | 'hero' | 'none';
  /** The variant the hero's page last showed; null: the session waits in `variants_written`. */
  heroVisible?: number | null;
  /** Where demo/ is (bundled copies of this file cannot find it from their own location). */
  demoDir?: string;
}

/**
 * A copy of demo/ with its sessions in progress: the headline of index.html being cycled (session 5eed1234,
 * variant 2 of 3 shown) and the call to action of about.html accepted with its cleanup still owed (session
 * c1ea0001). The pages load the live script from the bridge's persisted port; the journal is in
 * .live-variants/journal, written by the session engine.
 */
export async function writeSampleSite(root: string, opts: SampleSiteOptions): Promise<SampleSite> {
  mkdirSync(root, { recursive: true });
  for (const f of DEMO_FILES) cpSync(join(opts.demoDir ?? DEMO_DIR, f), join(root, f));
  const sessions = opts.sessions ?? 'all';
  if (sessions === 'none') withoutSession(root, 'index.html', DEMO_SESSION);
  if (sessions !== 'all') withoutSession(root, 'about.html', DEMO_CLEANUP_SESSION);
  const scriptUrl = liveScriptUrl(`http://127.0.0.1:${opts.bridgePort}`);
  for (const f of ['index.html', 'about.html']) {
    const path = join(root, f);
    writeFileSync(path, instrumentText(readFileSync(path, 'utf8'), { path: f, scriptUrl }).text);
  }
  mkdirSync(join(root, '.vscode'), { recursive: true });
  writeFileSync(
    join(root, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'liveVariants.preview.url': `${opts.siteUrl}/index.html` }, null, 2)}\n`,
  );
  const journalDir = join(root, '.live-variants', 'journal');
  mkdirSync(journalDir, { recursive: true });
  const token = newToken();
  await saveIdentity(root, { port: opts.bridgePort, token, journalDir });
  if (sessions !== 'none') {
    await seedSession(root, journalDir, {
      sessionId: DEMO_SESSION,
      file: 'index.html',
      count: 3,
      visible: opts.heroVisible === null ? undefined : (opts.heroVisible ?? 2),
      pageUrl: `${opts.siteUrl}/index.html`,
    });
  }
  if (sessions === 'all') {
    await seedSession(root, journalDir, {
      sessionId: DEMO_CLEANUP_SESSION,
      file: 'about.html',
      count: 2,
      visible: 2,
      accept: 2,
      pageUrl: `${opts.siteUrl}/about.html`,
    });
  }
  return { root, journalDir, bridgePort: opts.bridgePort, token };
}
