import { describe, expect, it } from 'vitest';
import { needsRestart, parseSettings } from '../../../src/extension/settings';

const from = (values: Record<string, unknown>) => parseSettings((k) => values[k]);

describe('parseSettings', () => {
  it('has documented defaults', () => {
    expect(from({})).toEqual({
      bridgePort: 0,
      bridgeAutoStart: true,
      allowedOrigins: [],
      leaseMs: 60_000,
      retentionDays: 30,
      journalLocation: 'auto',
      journalPath: '',
      acceptAppliedBy: 'extension',
      codeLens: true,
      previewUrl: '',
    });
  });

  it('reads valid values and replaces invalid ones with defaults', () => {
    const s = from({
      'bridge.port': 4317,
      'bridge.allowedOrigins': ['https://app.test', 3, ''],
      leaseSeconds: 120,
      'journal.retentionDays': -1,
      'journal.location': 'somewhere',
      acceptAppliedBy: 'agent',
      'codeLens.enabled': false,
      'preview.url': ' http://localhost:5173/ ',
    });
    expect(s).toMatchObject({
      bridgePort: 4317,
      allowedOrigins: ['https://app.test'],
      leaseMs: 120_000,
      retentionDays: 30,
      journalLocation: 'auto',
      acceptAppliedBy: 'agent',
      codeLens: false,
      previewUrl: 'http://localhost:5173/',
    });
    expect(from({ 'bridge.port': 70000 }).bridgePort).toBe(0);
  });
});

describe('needsRestart', () => {
  const a = from({});
  it('is true for what the bridge or engine was started with', () => {
    expect(needsRestart(a, { ...a, bridgePort: 1 })).toBe(true);
    expect(needsRestart(a, { ...a, acceptAppliedBy: 'agent' })).toBe(true);
    expect(needsRestart(a, { ...a, allowedOrigins: ['https://x.test'] })).toBe(true);
    expect(needsRestart(a, { ...a, journalLocation: 'workspace' })).toBe(true);
  });
  it('is false for what applies live', () => {
    expect(needsRestart(a, { ...a, codeLens: false, previewUrl: 'http://x', retentionDays: 5 })).toBe(false);
  });
});
