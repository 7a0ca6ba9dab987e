import { describe, expect, it } from 'vitest';
import { isLiveVariantsError } from '../../../src/core/errors';
import {
  findInstrumentation,
  instrumentationOf,
  instrumentText,
  liveScriptUrl,
  removeInstrumentation,
  validateScriptUrl,
} from '../../../src/core/instrument';

const URL_A = 'http://127.0.0.1:4317/live.js';
const URL_B = 'http://127.0.0.1:5123/live.js';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <title>Acme</title>
  </head>
  <body>
    <main>
      <h1>Hi</h1>
    </main>
  </body>
</html>
`;

const PAGE_INSTRUMENTED = `<!doctype html>
<html lang="en">
  <head>
    <title>Acme</title>
  </head>
  <body>
    <main>
      <h1>Hi</h1>
    </main>
    <!-- live-variants-start -->
    <script src="http://127.0.0.1:4317/live.js" defer></script>
    <!-- live-variants-end -->
  </body>
</html>
`;

const LAYOUT = `export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
      </body>
    </html>
  );
}
`;

const LAYOUT_INSTRUMENTED = `export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        {/* live-variants-start */}
        <script src="http://127.0.0.1:4317/live.js" defer></script>
        {/* live-variants-end */}
      </body>
    </html>
  );
}
`;

function errorOf(fn: () => unknown): { code: string; field: string | undefined } {
  try {
    fn();
  } catch (e) {
    if (isLiveVariantsError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a LiveVariantsError');
}

describe('instrumentText', () => {
  it('inserts the fenced tag on its own lines before </body>, one level deeper than the closing tag', () => {
    const r = instrumentText(PAGE, { path: 'index.html', scriptUrl: URL_A });
    expect(r).toEqual({
      changed: true,
      text: PAGE_INSTRUMENTED,
      status: 'inserted',
      flavour: 'html',
      scriptUrl: URL_A,
    });
  });

  it('uses JSX comments in a .tsx layout', () => {
    const r = instrumentText(LAYOUT, { path: 'app/layout.tsx', scriptUrl: URL_A });
    expect(r.text).toBe(LAYOUT_INSTRUMENTED);
    expect(r.flavour).toBe('jsx');
  });

  it('is idempotent: instrumenting an instrumented file changes nothing', () => {
    const r = instrumentText(PAGE_INSTRUMENTED, { path: 'index.html', scriptUrl: URL_A });
    expect(r).toMatchObject({ changed: false, status: 'unchanged', text: PAGE_INSTRUMENTED });
  });

  it('rewrites the fenced tag in place when the bridge URL changed', () => {
    const r = instrumentText(PAGE_INSTRUMENTED, { path: 'index.html', scriptUrl: URL_B });
    expect(r.status).toBe('updated');
    expect(r.text).toBe(PAGE_INSTRUMENTED.replace('4317', '5123'));
  });

  it('keeps CRLF line endings and tab indentation', () => {
    const page = '<html>\r\n\t<body>\r\n\t\t<main></main>\r\n\t</body>\r\n</html>\r\n';
    const r = instrumentText(page, { path: 'index.htm', scriptUrl: URL_A });
    expect(r.text).toBe(
      '<html>\r\n\t<body>\r\n\t\t<main></main>\r\n\t\t<!-- live-variants-start -->\r\n' +
        `\t\t<script src="${URL_A}" defer></script>\r\n\t\t<!-- live-variants-end -->\r\n\t</body>\r\n</html>\r\n`,
    );
    expect(removeInstrumentation(r.text, { path: 'index.htm' }).text).toBe(page);
  });

  it('inserts inline when </body> shares its line with other markup, and removes exactly that', () => {
    const page = '<html><body><main>x</main></body></html>';
    const r = instrumentText(page, { path: 'a.html', scriptUrl: URL_A });
    expect(r.text).toBe(
      `<html><body><main>x</main><!-- live-variants-start --><script src="${URL_A}" defer></script><!-- live-variants-end --></body></html>`,
    );
    expect(removeInstrumentation(r.text, { path: 'a.html' })).toEqual({
      changed: true,
      text: page,
      status: 'removed',
    });
  });

  it('falls back to </head> when there is no </body>', () => {
    const page = '<head>\n  <title>x</title>\n</head>\n<p>fragment</p>\n';
    const r = instrumentText(page, { path: 'layout.astro', scriptUrl: URL_A });
    expect(r.text).toBe(
      `<head>\n  <title>x</title>\n  <!-- live-variants-start -->\n  <script src="${URL_A}" defer></script>\n  <!-- live-variants-end -->\n</head>\n<p>fragment</p>\n`,
    );
  });

  it('refuses a file with nowhere to put the tag', () => {
    expect(
      errorOf(() => instrumentText('<div>component</div>\n', { path: 'Card.vue', scriptUrl: URL_A })),
    ).toEqual({
      code: 'no_insertion_point',
      field: 'path',
    });
  });

  it('refuses files it cannot instrument and bad input, with a code and field', () => {
    expect(errorOf(() => instrumentText(PAGE, { path: 'main.ts', scriptUrl: URL_A }))).toEqual({
      code: 'unsupported_file',
      field: 'path',
    });
    expect(
      errorOf(() => instrumentText(42 as unknown as string, { path: 'a.html', scriptUrl: URL_A })),
    ).toEqual({
      code: 'invalid_text',
      field: 'text',
    });
    expect(errorOf(() => instrumentText(PAGE, { path: '', scriptUrl: URL_A }))).toEqual({
      code: 'invalid_path',
      field: 'path',
    });
  });

  it('refuses a fence in the wrong shape instead of guessing which lines to touch', () => {
    const startOnly = PAGE.replace('</body>', '<!-- live-variants-start -->\n</body>');
    const endFirst = PAGE.replace('<main>', '<!-- live-variants-end --><!-- live-variants-start --><main>');
    const twice = PAGE_INSTRUMENTED.replace(
      '</html>',
      '<!-- live-variants-start --><!-- live-variants-end --></html>',
    );
    for (const text of [startOnly, endFirst, twice]) {
      expect(errorOf(() => instrumentText(text, { path: 'a.html', scriptUrl: URL_A })).code).toBe(
        'instrumentation_malformed',
      );
      expect(errorOf(() => removeInstrumentation(text, { path: 'a.html' })).code).toBe(
        'instrumentation_malformed',
      );
    }
  });
});

describe('removeInstrumentation', () => {
  it('gives back the file byte for byte after an insert', () => {
    const r = removeInstrumentation(PAGE_INSTRUMENTED, { path: 'index.html' });
    expect(r).toEqual({ changed: true, text: PAGE, status: 'removed' });
    expect(removeInstrumentation(LAYOUT_INSTRUMENTED, { path: 'app/layout.tsx' }).text).toBe(LAYOUT);
  });

  it('is idempotent: a file without the fence is left alone', () => {
    expect(removeInstrumentation(PAGE, { path: 'index.html' })).toEqual({
      changed: false,
      text: PAGE,
      status: 'absent',
    });
  });

  it('reads the other comment syntax too (a fence written by hand)', () => {
    const text = PAGE.replace(
      '  </body>',
      `    {/* live-variants-start */}\n    <script src="${URL_A}"></script>\n    {/* live-variants-end */}\n  </body>`,
    );
    expect(removeInstrumentation(text, { path: 'index.html' }).text).toBe(PAGE);
  });
});

describe('script URL', () => {
  it('is canonical and ends in /live.js; liveScriptUrl builds it from a bridge URL', () => {
    expect(liveScriptUrl('http://127.0.0.1:4317')).toBe(URL_A);
    expect(liveScriptUrl('http://localhost:4317/some/path?x=1')).toBe('http://localhost:4317/live.js');
    expect(validateScriptUrl('HTTP://127.0.0.1:4317/live.js')).toBe(URL_A);
  });

  it('never carries a token, credentials or markup characters', () => {
    for (const bad of [
      'http://127.0.0.1:4317/live.js?token=abc',
      'http://127.0.0.1:4317/live.js#token',
      'http://user:pw@127.0.0.1:4317/live.js',
      'javascript:alert(1)//live.js',
      'http://127.0.0.1:4317/other.js',
      "http://127.0.0.1:4317/a'b/live.js",
      'live.js',
      '',
    ]) {
      expect(
        errorOf(() => validateScriptUrl(bad)),
        bad,
      ).toEqual({ code: 'invalid_script_url', field: 'scriptUrl' });
    }
  });
});

describe('instrumentationOf / findInstrumentation', () => {
  it('report whether a file is instrumented and with which URL', () => {
    expect(instrumentationOf(PAGE)).toEqual({ instrumented: false });
    expect(instrumentationOf(PAGE_INSTRUMENTED)).toEqual({ instrumented: true, scriptUrl: URL_A });
    const span = findInstrumentation(PAGE_INSTRUMENTED)!;
    expect(PAGE_INSTRUMENTED.slice(span.start.start, span.end.end)).toBe(
      `<!-- live-variants-start -->\n    <script src="${URL_A}" defer></script>\n    <!-- live-variants-end -->`,
    );
  });
});
