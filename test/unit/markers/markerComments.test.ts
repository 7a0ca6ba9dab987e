import { describe, expect, it } from 'vitest';
import {
  findMarkerComments,
  parseParamValues,
  serialiseParamValues,
} from '../../../src/core/markers/markerComments';

describe('findMarkerComments', () => {
  it('finds all five marker kinds in HTML and JSX comments with their exact comment ranges', () => {
    const text = [
      '<!-- impeccable-variants-start a1 -->',
      '{/* impeccable-variants-end a1 */}',
      '<!--impeccable-carbonize-start b_2-->',
      '{ /* not jsx */ }',
      '{/*   impeccable-carbonize-end b_2   */ }',
      '<!-- impeccable-param-values b_2: {"r":1} -->',
    ].join('\n');
    const { markers, invalid } = findMarkerComments(text);
    expect(invalid).toEqual([]);
    expect(
      markers.map((m) => [m.kind, m.sessionId, m.syntax, text.slice(m.start, m.end), m.payload]),
    ).toEqual([
      ['variants-start', 'a1', 'html', '<!-- impeccable-variants-start a1 -->', ''],
      ['variants-end', 'a1', 'jsx', '{/* impeccable-variants-end a1 */}', ''],
      ['carbonize-start', 'b_2', 'html', '<!--impeccable-carbonize-start b_2-->', ''],
      ['carbonize-end', 'b_2', 'jsx', '{/*   impeccable-carbonize-end b_2   */ }', ''],
      ['param-values', 'b_2', 'html', '<!-- impeccable-param-values b_2: {"r":1} -->', '{"r":1}'],
    ]);
  });

  it('ignores the marker words outside a marker comment', () => {
    const text = [
      "const s = 'impeccable-variants-start a1';",
      '<p>see impeccable-variants-end a1</p>',
      '<!-- note: impeccable-variants-start a1 -->',
      '<div data-impeccable-variants="a1">',
      '<!-- impeccable-variants-startx a1 -->',
    ].join('\n');
    expect(findMarkerComments(text).markers).toEqual([]);
  });

  it('reports markers whose id is not 1-64 letters, digits, "_" or "-"', () => {
    const { markers, invalid } = findMarkerComments(
      '<!-- impeccable-variants-start a.b -->\n<!-- impeccable-variants-end  -->',
    );
    expect(markers).toEqual([]);
    expect(invalid.map((i) => [i.kind, i.rawId])).toEqual([
      ['variants-start', 'a.b'],
      ['variants-end', ''],
    ]);
  });

  it('accepts trailing words after the id', () => {
    const { markers } = findMarkerComments('<!-- impeccable-variants-end abcd1234 (hero) -->');
    expect(markers.map((m) => m.sessionId)).toEqual(['abcd1234']);
  });
});

describe('param values', () => {
  it('parse only an object of numbers, strings and booleans', () => {
    expect(parseParamValues('{"a":1,"b":"x","c":false}')).toEqual({ a: 1, b: 'x', c: false });
    expect(parseParamValues('[1]')).toBeNull();
    expect(parseParamValues('{"a":{"b":1}}')).toBeNull();
    expect(parseParamValues('{"a":')).toBeNull();
  });

  it('serialise so that no value can close the comment, and read back unchanged', () => {
    const values = { tone: 'a-->b*/}c</style>', n: 1.5, on: true };
    const s = serialiseParamValues(values);
    expect(s).not.toMatch(/-->|\*\/|</);
    expect(parseParamValues(s)).toEqual(values);
    const { markers } = findMarkerComments(`{/* impeccable-param-values x1: ${s} */}`);
    expect(parseParamValues(markers[0].payload)).toEqual(values);
  });
});
