import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLiveVariantsError, type LiveVariantsError } from '../../../src/core/errors';
import {
  acceptInWorkspace,
  discardInWorkspace,
  readTextExact,
  wrapInWorkspace,
} from '../../../src/core/rewrite/workspaceOps';

let root: string;
const put = (rel: string, text: string | Buffer) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const noGit = () => false;

async function refusal(p: Promise<unknown>): Promise<LiveVariantsError> {
  try {
    await p;
  } catch (e) {
    if (isLiveVariantsError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-ops-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const page = '<main>\n  <section class="hero">\n    <h1>Hi</h1>\n  </section>\n</main>\n';

describe('wrapInWorkspace', () => {
  it('finds the one source file holding the element, writes the wrapper and names file and lines', async () => {
    put('src/index.html', page);
    put('src/other.html', '<p class="other">x</p>\n');
    const r = await wrapInWorkspace(root, {
      sessionId: 'abcd1234',
      count: 3,
      element: { tag: 'section', classes: ['hero'] },
      isIgnored: noGit,
    });
    expect([r.file, r.status, r.wrappedLines, r.variantsLine, r.elementLines]).toEqual([
      'src/index.html',
      'applied',
      [2, 12],
      11,
      [2, 4],
    ]);
    expect(read('src/index.html')).toContain('<!-- impeccable-variants-start abcd1234 -->');
    const again = await wrapInWorkspace(root, {
      sessionId: 'abcd1234',
      count: 3,
      element: { tag: 'section', classes: ['hero'] },
      file: 'src/index.html',
      isIgnored: noGit,
    });
    expect(again.status).toBe('alreadyApplied');
  });

  it('reports file_is_generated when only a generated file has the element', async () => {
    put('public/index.html', `<!-- @generated -->\n${page}`);
    const e = await refusal(
      wrapInWorkspace(root, {
        sessionId: 'abcd1234',
        count: 2,
        element: { classes: ['hero'] },
        isIgnored: noGit,
      }),
    );
    expect([e.code, e.detail]).toEqual([
      'file_is_generated',
      { file: 'public/index.html', generatedMatch: 'public/index.html' },
    ]);
  });

  it('uses git’s ignore verdict for the files found', async () => {
    execFileSync('git', ['init', '-q', root]);
    put('.gitignore', 'out/\n');
    put('out/index.html', page);
    put('src/index.html', page.replace('hero', 'hero2'));
    const e = await refusal(
      wrapInWorkspace(root, { sessionId: 'abcd1234', count: 2, element: { classes: ['hero'] } }),
    );
    expect(e.code).toBe('file_is_generated');
    const explicit = await refusal(
      wrapInWorkspace(root, {
        sessionId: 'abcd1234',
        count: 2,
        element: { classes: ['hero'] },
        file: 'out/index.html',
      }),
    );
    expect(explicit.code).toBe('file_is_generated');
  });

  it('breaks a tie between files by the page URL, and otherwise reports every candidate', async () => {
    put('index.html', page);
    put('about/index.html', page);
    const r = await wrapInWorkspace(root, {
      sessionId: 'abcd1234',
      count: 2,
      element: { classes: ['hero'], pageUrl: 'http://localhost:5173/about/' },
      isIgnored: noGit,
    });
    expect(r.file).toBe('about/index.html');
    put('b.html', page);
    put('c.html', page);
    const e = await refusal(
      wrapInWorkspace(root, {
        sessionId: 'ffff0000',
        count: 2,
        element: { classes: ['hero'] },
        isIgnored: noGit,
      }),
    );
    expect(e.code).toBe('element_ambiguous');
    expect(e.detail?.candidates).toEqual([
      { file: 'b.html', startLine: 2, endLine: 4, tag: 'section' },
      { file: 'c.html', startLine: 2, endLine: 4, tag: 'section' },
      { file: 'index.html', startLine: 2, endLine: 4, tag: 'section' },
    ]);
  });

  it('reports element_not_found when no file has it, and refuses bad arguments before searching', async () => {
    put('index.html', page);
    expect(
      (
        await refusal(
          wrapInWorkspace(root, {
            sessionId: 'abcd1234',
            count: 2,
            element: { id: 'nope' },
            isIgnored: noGit,
          }),
        )
      ).code,
    ).toBe('element_not_found');
    expect(
      (await refusal(wrapInWorkspace(root, { sessionId: 'abcd1234', count: 99, element: { id: 'x' } })))
        .field,
    ).toBe('count');
  });
});

describe('accept / discard in the workspace', () => {
  const wrappedPage = async () => {
    put('src/index.html', page);
    await wrapInWorkspace(root, {
      sessionId: 'abcd1234',
      count: 1,
      element: { classes: ['hero'] },
      isIgnored: noGit,
    });
    const text = read('src/index.html').replace(
      '    <!-- Variants: insert below this line -->\n',
      '    <!-- Variants: insert below this line -->\n    <div data-impeccable-variant="1">\n      <section class="hero hero--v1">\n        <h1>Hi!</h1>\n      </section>\n    </div>\n',
    );
    put('src/index.html', text);
  };

  it('finds the session’s file, writes the accepted variant and reports the file', async () => {
    await wrappedPage();
    const r = await acceptInWorkspace(root, { sessionId: 'abcd1234', variant: 1, isIgnored: noGit });
    expect([r.status, r.file]).toEqual(['applied', 'src/index.html']);
    expect(read('src/index.html')).toBe(
      '<main>\n  <section class="hero hero--v1">\n    <h1>Hi!</h1>\n  </section>\n</main>\n',
    );
    const again = await acceptInWorkspace(root, {
      sessionId: 'abcd1234',
      variant: 1,
      recorded: { outcome: 'accepted', variant: 1 },
      isIgnored: noGit,
    });
    expect([again.status, again.file]).toEqual(['alreadyApplied', null]);
  });

  it('restores the original bytes on discard', async () => {
    await wrappedPage();
    const r = await discardInWorkspace(root, {
      sessionId: 'abcd1234',
      file: join(root, 'src/index.html'),
      isIgnored: noGit,
    });
    expect(r.status).toBe('applied');
    expect(read('src/index.html')).toBe(page);
  });

  it('refuses a session whose markers are in two files, and a file that is not UTF-8', async () => {
    await wrappedPage();
    put('copy.html', read('src/index.html'));
    expect((await refusal(discardInWorkspace(root, { sessionId: 'abcd1234', isIgnored: noGit }))).code).toBe(
      'malformed_markers',
    );
    put('latin1.html', Buffer.from([0x3c, 0x70, 0x3e, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]));
    expect((await refusal(readTextExact(join(root, 'latin1.html')))).code).toBe('unsupported_encoding');
    expect((await refusal(readTextExact(join(root, 'missing.html')))).code).toBe('file_not_found');
  });

  it('refuses to rewrite a git-ignored file and leaves it untouched', async () => {
    await wrappedPage();
    const before = read('src/index.html');
    const e = await refusal(
      acceptInWorkspace(root, {
        sessionId: 'abcd1234',
        variant: 1,
        isIgnored: (f) => f === 'src/index.html',
      }),
    );
    expect(e.code).toBe('persist_fallback_to_true_source');
    expect(read('src/index.html')).toBe(before);
  });
});
