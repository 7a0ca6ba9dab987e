import { describe, expect, it } from 'vitest';
import { formatLeaseId, parseLeaseId } from '../../../src/core/queue';

describe('lease ids', () => {
  it('round-trip item ids that contain the separators', () => {
    for (const itemId of ['gen-1', 'a@b', 'x.y@0.1', '@@', 'ü 🙂']) {
      expect(parseLeaseId(formatLeaseId(itemId, 'e_1-x', 42))).toEqual({ itemId, epoch: 'e_1-x', fence: 42 });
    }
  });

  it('differ between deliveries of the same item', () => {
    expect(formatLeaseId('g', '0', 1)).toBe('g@0.1');
    expect(formatLeaseId('g', '0', 2)).not.toBe(formatLeaseId('g', '0', 1));
    expect(formatLeaseId('g', '1', 1)).not.toBe(formatLeaseId('g', '0', 1));
  });

  it('do not parse from anything malformed', () => {
    for (const bad of [
      '',
      'g',
      '@0.1',
      'g@0',
      'g@.1',
      'g@0.0',
      'g@0.-1',
      'g@0.1.2',
      'g@0.1e3',
      'g@a b.1',
      7,
      null,
      {},
    ]) {
      expect(parseLeaseId(bad)).toBeUndefined();
    }
    expect(parseLeaseId(`${'x'.repeat(297)}@0.1`)).toBeUndefined();
  });
});
