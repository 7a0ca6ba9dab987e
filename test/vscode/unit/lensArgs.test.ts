import { describe, expect, it } from 'vitest';
import { parseLensArgs } from '../../../src/extension/lensArgs';

describe('parseLensArgs', () => {
  it('keeps a valid session id, variant and document', () => {
    expect(parseLensArgs({ sessionId: '5eed1234', variant: '2', uri: 'file:///w/index.html' })).toEqual({
      sessionId: '5eed1234',
      variant: '2',
      uri: 'file:///w/index.html',
    });
  });

  it('drops what does not check out and refuses arguments without a usable session id', () => {
    expect(parseLensArgs({ sessionId: '5eed1234', variant: '02', uri: 7 })).toEqual({
      sessionId: '5eed1234',
    });
    expect(parseLensArgs({ sessionId: '../x' })).toBeUndefined();
    expect(parseLensArgs('5eed1234')).toBeUndefined();
    expect(parseLensArgs(undefined)).toBeUndefined();
  });
});
