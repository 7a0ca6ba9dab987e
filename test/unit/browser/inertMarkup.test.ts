import { describe, expect, it } from 'vitest';
import { blockSlice, inertStyles } from '../../../src/browser/inertMarkup';

const FILE = `<html><head><style>body { margin: 0 }</style></head><body>
<!-- impeccable-variants-start a0000001 -->
<div data-impeccable-variants="a0000001" data-impeccable-variant-count="2" style="display: contents">
  <style data-impeccable-css="a0000001">[data-impeccable-variant="1"] .x > b { color: red }</style>
  <div data-impeccable-variant="1" STYLE='--p-pad: 4px'>one <!-- style="not a tag" --></div>
  <div data-impeccable-variant="2" data-style="kept" style="display: none"><script>var s = '<b style="x">';</script></div>
</div>
<!-- impeccable-variants-end a0000001 -->
</body></html>`;

describe('blockSlice', () => {
  it('cuts one session’s block out of the file, markers included', () => {
    const slice = blockSlice(FILE, 'a0000001')!;
    expect(slice.startsWith('<!-- impeccable-variants-start a0000001 -->')).toBe(true);
    expect(slice.endsWith('<!-- impeccable-variants-end a0000001 -->')).toBe(true);
    expect(slice).not.toContain('margin: 0');
    expect(blockSlice(FILE, 'b0000002')).toBeNull();
  });
});

describe('inertStyles', () => {
  it('renames style attributes, cuts <style> elements out keeping their CSS, and leaves everything else', () => {
    const { markup, css } = inertStyles(blockSlice(FILE, 'a0000001')!);
    expect(css).toEqual(['[data-impeccable-variant="1"] .x > b { color: red }']);
    expect(markup).toBe(`<!-- impeccable-variants-start a0000001 -->
<div data-impeccable-variants="a0000001" data-impeccable-variant-count="2" data-lv-style="display: contents">
  
  <div data-impeccable-variant="1" data-lv-style='--p-pad: 4px'>one <!-- style="not a tag" --></div>
  <div data-impeccable-variant="2" data-style="kept" data-lv-style="display: none"><script>var s = '<b style="x">';</script></div>
</div>
<!-- impeccable-variants-end a0000001 -->`);
  });

  it('leaves text without tags alone and survives unclosed markup', () => {
    expect(inertStyles('plain < text')).toEqual({ markup: 'plain < text', css: [] });
    expect(inertStyles('<div style="a"><style>x {')).toEqual({
      markup: '<div data-lv-style="a">',
      css: ['x {'],
    });
  });
});
