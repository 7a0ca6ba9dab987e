// Golden tests over test/fixtures/markers: every input `x.ext` is rewritten as its sibling files say
// (`x.accept-2.ext`, `x.discard.ext`, `x.accept-1@SESSION.ext`, `x.wrapped.ext` with `x.ext.wrap.json`,
// refusals in `x.ext.expect.json`) and compared byte for byte.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLiveVariantsError } from '../../../src/core/errors';
import { scanText } from '../../../src/core/markers/scan';
import { acceptVariant } from '../../../src/core/rewrite/accept';
import { completionFindings } from '../../../src/core/rewrite/completion';
import { discardVariants } from '../../../src/core/rewrite/discard';
import type { RewriteResult } from '../../../src/core/rewrite/session';
import { applyEdit } from '../../../src/core/rewrite/textEdit';
import { wrapElement } from '../../../src/core/rewrite/wrap';

const dir = join(__dirname, '../../fixtures/markers');
const files = readdirSync(dir);
const inputs = files.filter((f) => /^[^.@]+\.(html|jsx|tsx|vue|svelte|astro)$/.test(f));
const read = (f: string) => readFileSync(join(dir, f), 'utf8');

function split(file: string): { base: string; ext: string } {
  const dot = file.indexOf('.');
  return { base: file.slice(0, dot), ext: file.slice(dot) };
}

function onlySession(text: string, file: string): string {
  const scan = scanText(text, { path: file });
  const ids = new Set([...scan.blocks.map((b) => b.sessionId), ...scan.carbonize.map((c) => c.sessionId)]);
  expect(ids.size, `${file} must hold exactly one session (or name it in the golden file)`).toBe(1);
  return [...ids][0];
}

function run(
  text: string,
  file: string,
  op: string,
  sessionId: string,
  params: Record<string, unknown> | undefined,
): RewriteResult {
  if (op === 'discard') return discardVariants(text, { sessionId, path: file });
  const m = /^accept-(\d+)$/.exec(op);
  if (m === null) throw new Error(`unknown op ${op}`);
  return acceptVariant(text, { sessionId, path: file, variant: Number(m[1]), params });
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isLiveVariantsError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('marker fixtures', () => {
  it('has an input for every file kind, both flavours, insert mode, CRLF, tabs and malformed cases', () => {
    for (const ext of ['.html', '.jsx', '.tsx', '.vue', '.svelte', '.astro'])
      expect(inputs.some((f) => f.endsWith(ext))).toBe(true);
    for (const name of [
      'insert.html',
      'crlf.html',
      'tabs.html',
      'deep.html',
      'two-sessions.html',
      'styled-knobs.html',
      'malformed-nested.html',
    ]) {
      expect(inputs).toContain(name);
    }
    // Guards against a checkout that normalised line endings (the CRLF cases would silently become LF).
    expect(read('crlf.html')).toContain('\r\n');
    expect(read('wrap-crlf-tabs.html')).toContain('\r\n\t');
    expect(read('tabs.html')).toContain('\n\t\t<');
  });

  for (const input of inputs) {
    const { base, ext } = split(input);
    const text = read(input);
    const paramsFile = `${input}.params.json`;
    const params = existsSync(join(dir, paramsFile))
      ? (JSON.parse(read(paramsFile)) as Record<string, unknown>)
      : undefined;
    const goldens = files.filter(
      (f) =>
        f.startsWith(`${base}.`) &&
        f.endsWith(ext) &&
        /^[^.]+\.(accept-\d+|discard)(@[A-Za-z0-9_-]+)?\./.test(f),
    );

    for (const golden of goldens) {
      const [, op, at] = /^[^.]+\.(accept-\d+|discard)(?:@([A-Za-z0-9_-]+))?\./.exec(
        golden,
      ) as RegExpExecArray;
      it(`${op} of ${input}${at ? ` (session ${at})` : ''} gives ${golden} byte for byte`, () => {
        const sessionId = at ?? onlySession(text, input);
        const result = run(text, input, op, sessionId, params);
        expect(result.status).toBe('applied');
        if (result.status !== 'applied') return;
        const out = applyEdit(text, result.edit);
        expect(out).toBe(read(golden));
        // The edit touches only the session's block (widened to whole lines when lines are removed).
        const block = scanText(text, { path: input }).blocks.find((b) => b.sessionId === sessionId);
        expect(block).toBeDefined();
        if (block === undefined) return;
        expect(result.edit.start).toBeGreaterThanOrEqual(block.lineRange.start);
        expect(result.edit.end).toBeLessThanOrEqual(block.lineRange.end);
        // Repeating the operation changes nothing.
        const again = errorCode(() => {
          const r = run(out, input, op, sessionId, params);
          expect(r.status).toBe('alreadyApplied');
        });
        if (result.carbonize) expect(again).toBe('no error');
        else expect(again).toBe('session_not_found');
        if (!result.carbonize) expect(completionFindings(out, sessionId, { path: input })).toEqual([]);
      });
    }

    const expectFile = `${input}.expect.json`;
    if (existsSync(join(dir, expectFile))) {
      const spec = JSON.parse(read(expectFile)) as {
        problems: { code: string; severity: string; sessionId: string; line: number }[];
        ops: { op: string; sessionId: string; error?: string; status?: string }[];
      };
      it(`${input} reports exactly the problems in ${expectFile}`, () => {
        const scan = scanText(text, { path: input });
        expect(
          scan.problems.map((p) => ({
            code: p.code,
            severity: p.severity,
            sessionId: p.sessionId,
            line: p.line,
          })),
        ).toEqual(spec.problems);
      });
      for (const op of spec.ops) {
        it(`${op.op} of session ${op.sessionId} in ${input} ${op.error ? `is refused with ${op.error}` : `reports ${op.status}`}`, () => {
          if (op.error) expect(errorCode(() => run(text, input, op.op, op.sessionId, params))).toBe(op.error);
          else expect(run(text, input, op.op, op.sessionId, params).status).toBe(op.status);
        });
      }
    }

    const wrapFile = `${input}.wrap.json`;
    if (existsSync(join(dir, wrapFile))) {
      const spec = JSON.parse(read(wrapFile));
      if (spec.error) {
        it(`wrap in ${input} is refused with ${spec.error}`, () => {
          try {
            wrapElement(text, { ...spec, path: input });
            expect.unreachable('wrap should have been refused');
          } catch (e) {
            if (!isLiveVariantsError(e)) throw e;
            expect(e.code).toBe(spec.error);
            if (spec.candidates) expect(e.detail?.candidates).toEqual(spec.candidates);
          }
        });
      } else {
        it(`wrap in ${input} gives ${base}.wrapped${ext}, and discard restores the input byte for byte`, () => {
          const result = wrapElement(text, { ...spec, path: input });
          expect(result.status).toBe('applied');
          const wrapped = applyEdit(text, result.edit as NonNullable<typeof result.edit>);
          expect(wrapped).toBe(read(`${base}.wrapped${ext}`));
          const lines = wrapped.split('\n');
          expect(lines[result.variantsLine - 2]).toContain('Variants: insert below this line');
          const again = wrapElement(wrapped, { ...spec, path: input });
          expect(again.status).toBe('alreadyApplied');
          expect(again.variantsLine).toBe(result.variantsLine);
          const discarded = discardVariants(wrapped, { sessionId: spec.sessionId, path: input });
          expect(discarded.status).toBe('applied');
          if (discarded.status === 'applied') expect(applyEdit(wrapped, discarded.edit)).toBe(text);
        });
      }
    }
  }
});
