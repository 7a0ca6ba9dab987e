// indexElements pairs every start tag with its close in one pass; it must agree with findElementEnd,
// which does the same for one element by scanning forward, on any markup — well formed or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexElements } from '../../src/core/markers/elementIndex';
import { languageForPath } from '../../src/core/markers/language';
import { findElementEnd } from '../../src/core/markers/markupTokens';
import type { Language } from '../../src/core/markers/types';

const pieces = [
  '<div>',
  '</div>',
  '<div class="a">',
  '<div/>',
  '<DIV>',
  '</Div>',
  '<p>',
  '</p>',
  '<li>',
  '<br>',
  '<img src="x">',
  '<Card>',
  '</Card>',
  '<style>.a{}</style>',
  '<script>if (a < b) "</div>"</script>',
  '<!-- </div> -->',
  '{/* </div> */}',
  '<!doctype html>',
  'text ',
  "it's ",
  ' < ',
  '<a href="/x>y">',
  '</a>',
  '<span {...rest}>',
  '</span>',
  '<b onClick={() => a > b}>',
  '</b>',
  '\n',
  '<',
  '"',
  '{',
];

describe('indexElements', () => {
  for (const path of ['a.html', 'a.tsx', 'a.svelte']) {
    it(`agrees with findElementEnd for every start tag in random ${path} markup`, () => {
      const language = languageForPath(path) as Language;
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
          const text = parts.join('');
          for (const { tag, extent } of indexElements(text, language)) {
            expect(extent).toEqual(findElementEnd(text, tag, language));
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
