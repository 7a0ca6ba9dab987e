// The extension's settings (`liveVariants.*`), read once into a plain object and re-read on change. Which
// changes need the bridge restarted is decided here, so callers never compare settings field by field.
// No `vscode` import: the caller hands in the configuration object.
export type AcceptAppliedBy = 'extension' | 'agent';
export type JournalLocation = 'auto' | 'workspaceStorage' | 'workspace';

export interface LiveSettings {
  /** 0: the persisted port (or any free one the first time). */
  bridgePort: number;
  bridgeAutoStart: boolean;
  allowedOrigins: string[];
  leaseMs: number;
  retentionDays: number;
  journalLocation: JournalLocation;
  /** Absolute journal folder overriding `journalLocation`; empty for none. */
  journalPath: string;
  acceptAppliedBy: AcceptAppliedBy;
  codeLens: boolean;
  previewUrl: string;
}

export const SETTINGS_SECTION = 'liveVariants';

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : fallback;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

/** Settings from any `get`-able source (VS Code's configuration, or a plain map in tests). */
export function parseSettings(get: (key: string) => unknown): LiveSettings {
  const location = get('journal.location');
  const applied = get('acceptAppliedBy');
  const path = get('journal.path');
  const preview = get('preview.url');
  return {
    bridgePort: clampInt(get('bridge.port'), 0, 65535, 0),
    bridgeAutoStart: get('bridge.autoStart') !== false,
    allowedOrigins: stringList(get('bridge.allowedOrigins')),
    leaseMs: clampInt(get('leaseSeconds'), 1, 3600, 60) * 1000,
    retentionDays: clampInt(get('journal.retentionDays'), 0, 36500, 30),
    journalLocation:
      location === 'workspaceStorage' || location === 'workspace' || location === 'auto' ? location : 'auto',
    journalPath: typeof path === 'string' ? path.trim() : '',
    acceptAppliedBy: applied === 'agent' ? 'agent' : 'extension',
    codeLens: get('codeLens.enabled') !== false,
    previewUrl: typeof preview === 'string' ? preview.trim() : '',
  };
}

/** `readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION))`; kept free of `vscode` for tests. */
export function readSettings(config: { get(key: string): unknown }): LiveSettings {
  return parseSettings((key) => config.get(key));
}

/** Settings the running bridge or engine was started with: a change means a restart. */
export function needsRestart(a: LiveSettings, b: LiveSettings): boolean {
  return (
    a.bridgePort !== b.bridgePort ||
    a.leaseMs !== b.leaseMs ||
    a.journalLocation !== b.journalLocation ||
    a.journalPath !== b.journalPath ||
    a.acceptAppliedBy !== b.acceptAppliedBy ||
    a.allowedOrigins.join('\n') !== b.allowedOrigins.join('\n')
  );
}
