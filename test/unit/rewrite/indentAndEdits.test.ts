import { describe, expect, it } from 'vitest';
import { detectEol, detectIndentUnit, rebaseContent, rebaseElement } from '../../../src/core/rewrite/indent';
import { applyEdit, replaceBlock } from '../../../src/core/rewrite/textEdit';

describe('indentation helpers', () => {
  it('detect the dominant line break', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\r\nc\n')).toBe('\n');
    expect(detectEol('one line')).toBe('\n');
  });

  it('detect the indentation unit: tabs, 4 spaces, 2 spaces by default', () => {
    expect(detectIndentUnit('<a>\n\t<b>\n\t\t<c>\n')).toBe('\t');
    expect(detectIndentUnit('<a>\n    <b>\n        <c>\n    </b>\n')).toBe('    ');
    expect(detectIndentUnit('<a></a>')).toBe('  ');
  });

  it('re-base container content to a new indentation, leaving shallower lines as they are', () => {
    expect(rebaseContent('\n      <p>\n        x\n  raw\n\n      </p>\n    ', '  ')).toBe(
      '<p>\n    x\n  raw\n\n  </p>',
    );
    expect(rebaseContent('  <b>inline</b>  ', '    ')).toBe('<b>inline</b>');
    expect(rebaseContent('<section>\n      <h1>x</h1>\n    </section>', '  ')).toBe(
      '<section>\n    <h1>x</h1>\n  </section>',
    );
    expect(rebaseContent('\n   \n', '  ')).toBe('');
    expect(rebaseContent('\r\n    <p>\r\n      x\r\n    </p>\r\n  ', '')).toBe('<p>\r\n  x\r\n</p>');
  });

  it('re-base an element’s following lines', () => {
    expect(rebaseElement('<a>\n  <b/>\n\n</a>', '', '    ')).toBe('<a>\n      <b/>\n\n    </a>');
  });
});

describe('text edits', () => {
  it('replace a block in place', () => {
    const text = 'ab[block]cd';
    expect(applyEdit(text, replaceBlock(text, 2, 9, 'X'))).toBe('abXcd');
  });

  it('remove whole lines when an emptied block stands alone on them', () => {
    expect(applyEdit('a\n  [b]\nc', replaceBlock('a\n  [b]\nc', 4, 7, ''))).toBe('a\nc');
    expect(applyEdit('a\r\n  [b]  \r\nc', replaceBlock('a\r\n  [b]  \r\nc', 5, 8, ''))).toBe('a\r\nc');
    expect(applyEdit('a\r\n[b]', replaceBlock('a\r\n[b]', 3, 6, ''))).toBe('a');
    expect(applyEdit('[b]', replaceBlock('[b]', 0, 3, ''))).toBe('');
    expect(applyEdit('x[b]\n', replaceBlock('x[b]\n', 1, 4, ''))).toBe('x\n');
  });
});
