import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentText, removeInstrumentation } from '../../../src/core/instrument';

const URL = 'http://127.0.0.1:4317/live.js';

/** Page-like text: arbitrary lines (any line endings and indentation) around a </body> (or </head>). */
const page = fc
  .record({
    before: fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }),
    after: fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }),
    indent: fc.constantFrom('', '  ', '    ', '\t'),
    inline: fc.boolean(),
    close: fc.constantFrom('</body>', '</BODY>', '</head>'),
    eol: fc.constantFrom('\n', '\r\n'),
    ext: fc.constantFrom('index.html', 'page.htm', 'App.vue', 'Layout.astro', 'app/layout.tsx'),
  })
  .filter(
    (p) => ![...p.before, ...p.after].some((l) => l.includes('live-variants') || /<\/(body|head)/i.test(l)),
  )
  .filter((p) => !(p.ext.endsWith('.tsx') && p.close !== '</body>'));

function textOf(p: {
  before: string[];
  after: string[];
  indent: string;
  inline: boolean;
  close: string;
  eol: string;
}) {
  const closing = p.inline ? `${p.indent}<main></main>${p.close}` : `${p.indent}${p.close}`;
  return [...p.before, closing, ...p.after].join(p.eol);
}

describe('instrumentation round trip (property)', () => {
  it('insert then remove gives the file back byte for byte; a second insert changes nothing', () => {
    fc.assert(
      fc.property(page, (p) => {
        const text = textOf(p);
        const once = instrumentText(text, { path: p.ext, scriptUrl: URL });
        expect(once.status).toBe('inserted');
        expect(instrumentText(once.text, { path: p.ext, scriptUrl: URL })).toMatchObject({
          changed: false,
          text: once.text,
        });
        const removed = removeInstrumentation(once.text, { path: p.ext });
        expect(removed.text).toBe(text);
        expect(removeInstrumentation(removed.text, { path: p.ext }).changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
