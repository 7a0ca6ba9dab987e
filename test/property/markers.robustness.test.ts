// Robustness: marker files damaged by random edits, truncation and garbage never make the scanner or a
// rewrite throw anything but a LiveVariantsError; an applied rewrite only touches its session's block;
// a refused rewrite on disk leaves every byte of the file as it was.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isLiveVariantsError } from '../../src/core/errors';
import { scanText } from '../../src/core/markers/scan';
import { acceptVariant } from '../../src/core/rewrite/accept';
import { completionFindings } from '../../src/core/rewrite/completion';
import { discardVariants } from '../../src/core/rewrite/discard';
import { applyEdit } from '../../src/core/rewrite/textEdit';
import { acceptInWorkspace, discardInWorkspace } from '../../src/core/rewrite/workspaceOps';
import { wrapElement } from '../../src/core/rewrite/wrap';

const fixtures = join(__dirname, '../fixtures/markers');
const seeds = readdirSync(fixtures)
  .filter((f) => /^[^.@]+\.(html|jsx|tsx|vue|svelte|astro)$/.test(f))
  .map((file) => ({ file, text: readFileSync(join(fixtures, file), 'utf8') }));

const fragments = [
  '<',
  '>',
  '/>',
  '</div>',
  '<div>',
  '<div data-impeccable-variant="1">',
  '<div data-impeccable-variant="original">',
  '<div data-impeccable-variants="abcd1234" data-impeccable-variant-count="9" style="display: contents">',
  '<!-- impeccable-variants-start ',
  '<!-- impeccable-variants-end ',
  '<!-- impeccable-carbonize-start ',
  '<!-- impeccable-param-values abcd1234: {"a":',
  '{/* impeccable-variants-start ',
  '{/* impeccable-carbonize-end ',
  ' -->',
  ' */}',
  'abcd1234',
  '3f9a1c2e',
  '"',
  "'",
  '{',
  '}',
  '`',
  '${',
  '\\',
  '\n',
  '\r\n',
  '\t',
  '<style data-impeccable-css="abcd1234">',
  '</style>',
  '<script>',
  ' data-impeccable-params=\'[{"id":"r","kind":"range","min":0,"max":1,"default":2}]\'',
  ' style="display: none"',
  '<!--',
  '-->',
  '\u00e9\u{1f600}',
];

const garbage = fc.oneof(
  fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
  fc.string({ maxLength: 12 }),
);

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; len: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: garbage }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 200 }),
    to: fc.nat(),
  }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate': {
      const to = m.to % (text.length + 1);
      return text.slice(0, to) + text.slice(at, at + m.len) + text.slice(to);
    }
  }
}

const damaged = fc.record({
  seed: fc.nat({ max: seeds.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  variant: fc.integer({ min: 1, max: 4 }),
  params: fc.option(
    fc.dictionary(
      fc.constantFrom('radius', 'tone', 'blur', 'r', 'density'),
      fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean()),
    ),
    { nil: undefined },
  ),
});

function sessionIds(text: string, file: string): string[] {
  const scan = scanText(text, { path: file });
  const ids = new Set<string>(['abcd1234', '3f9a1c2e']);
  for (const b of scan.blocks) ids.add(b.sessionId);
  for (const c of scan.carbonize) ids.add(c.sessionId);
  for (const p of scan.problems) if (p.sessionId !== null) ids.add(p.sessionId);
  return [...ids];
}

/** Runs `fn`; anything thrown must be a LiveVariantsError with a code and a message. */
function guarded<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (!isLiveVariantsError(e)) throw e;
    expect(e.code).toMatch(/^[a-z_]+$/);
    expect(e.message.length).toBeGreaterThan(0);
    return null;
  }
}

describe('damaged marker files', () => {
  it('never make scan, accept, discard, wrap or the completion check throw, and edits stay inside the block', () => {
    fc.assert(
      fc.property(damaged, ({ seed, mutations, variant, params }) => {
        const { file } = seeds[seed];
        const text = mutations.reduce(mutate, seeds[seed].text);
        const scan = scanText(text, { path: file });
        for (const b of scan.blocks) {
          expect(0 <= b.range.start && b.range.start <= b.range.end && b.range.end <= text.length).toBe(true);
          expect(b.lineRange.start <= b.range.start && b.range.end <= b.lineRange.end).toBe(true);
        }
        for (const id of sessionIds(text, file)) {
          const block = scan.blocks.find((b) => b.sessionId === id);
          for (const op of ['accept', 'discard'] as const) {
            const result = guarded(() =>
              op === 'accept'
                ? acceptVariant(text, { sessionId: id, path: file, variant, params })
                : discardVariants(text, { sessionId: id, path: file }),
            );
            if (result?.status === 'applied') {
              expect(block).toBeDefined();
              if (block === undefined) continue;
              expect(result.edit.start).toBeGreaterThanOrEqual(block.lineRange.start);
              expect(result.edit.end).toBeLessThanOrEqual(block.lineRange.end);
              const after = applyEdit(text, result.edit);
              expect(after.slice(0, result.edit.start)).toBe(text.slice(0, result.edit.start));
              expect(after.slice(after.length - (text.length - result.edit.end))).toBe(
                text.slice(result.edit.end),
              );
              scanText(after, { path: file });
            }
          }
          completionFindings(text, id, { path: file });
        }
        guarded(() =>
          wrapElement(text, {
            path: file,
            sessionId: 'ffff0000',
            count: 2,
            element: { tag: 'div', classes: ['card'], text: 'Pro plan' },
          }),
        );
      }),
      { numRuns: 400 },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'lv-robust-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leave the file byte for byte untouched on disk when a rewrite is refused', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(damaged, async ({ seed, mutations, variant }) => {
        const { file } = seeds[seed];
        const text = mutations.reduce(mutate, seeds[seed].text);
        const name = `f${n++}${file.slice(file.indexOf('.'))}`;
        const path = join(dir, name);
        writeFileSync(path, text);
        const before = readFileSync(path);
        for (const id of sessionIds(text, file).slice(0, 3)) {
          const current = readFileSync(path, 'utf8');
          const scan = scanText(current, { path: name });
          const block = scan.blocks.find((b) => b.sessionId === id);
          let outcome: Awaited<ReturnType<typeof acceptInWorkspace>> | null = null;
          try {
            outcome =
              variant % 2 === 0
                ? await discardInWorkspace(dir, { sessionId: id, file: name, isIgnored: () => false })
                : await acceptInWorkspace(dir, {
                    sessionId: id,
                    file: name,
                    variant,
                    isIgnored: () => false,
                  });
          } catch (e) {
            if (!isLiveVariantsError(e)) throw e;
          }
          const now = readFileSync(path);
          if (outcome?.status !== 'applied') expect(now.equals(Buffer.from(current, 'utf8'))).toBe(true);
          else if (block !== undefined) {
            const s = now.toString('utf8');
            expect(s.slice(0, block.lineRange.start)).toBe(current.slice(0, block.lineRange.start));
            expect(s.slice(s.length - (current.length - block.lineRange.end))).toBe(
              current.slice(block.lineRange.end),
            );
          }
        }
        expect(before.equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
