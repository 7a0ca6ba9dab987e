// Where the workspace, its journal and its bridge are. Order: `--url`/`--token`, then LIVE_VARIANTS_URL /
// LIVE_VARIANTS_TOKEN, then `.live-variants/bridge.json` of `--root` or the nearest workspace above the current
// directory. A discovery file whose pid is dead means "no bridge"; the token is never printed.

import { join, resolve } from 'node:path';
import {
  DISCOVERY_DIR,
  type DiscoveryRead,
  findWorkspaceRoot,
  readDiscovery,
  readIdentity,
} from '../bridge/discovery';
import { LiveVariantsError } from '../core/errors';
import { type ArgSpec, type FlagSpec, type ParsedArgs, stringFlag } from './args';

export const CONNECTION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  root: {
    kind: 'string',
    valueName: 'DIR',
    description: 'workspace folder (default: nearest above the current one)',
  },
  url: {
    kind: 'string',
    valueName: 'URL',
    description: 'bridge URL (default: $LIVE_VARIANTS_URL or discovery)',
  },
  token: {
    kind: 'string',
    valueName: 'TOKEN',
    description: 'bridge token (default: $LIVE_VARIANTS_TOKEN or discovery)',
  },
};

export const JOURNAL_FLAG: Readonly<Record<string, FlagSpec>> = {
  'journal-dir': {
    kind: 'string',
    valueName: 'DIR',
    description:
      'journal folder for offline use (default: from discovery, else <root>/.live-variants/journal)',
  },
};

export const HELP_FLAG: Readonly<Record<string, FlagSpec>> = {
  help: { kind: 'boolean', description: 'show this help' },
};

export function withConnectionFlags(spec: ArgSpec, journal = false): ArgSpec {
  return {
    positionals: spec.positionals,
    flags: { ...spec.flags, ...CONNECTION_FLAGS, ...(journal ? JOURNAL_FLAG : {}), ...HELP_FLAG },
  };
}

export interface BridgeEndpoint {
  url: string;
  token: string;
  /** Where the URL came from. */
  source: 'flags' | 'env' | 'discovery';
  pid?: number;
}

/** What the CLI knows about the bridge before talking to it; printed (without the token) by `status`. */
export interface BridgeInfo {
  running: boolean;
  url?: string;
  pid?: number;
  source?: BridgeEndpoint['source'];
  /** Why no bridge is used: `no_discovery`, `stale_discovery`, `unreachable`, or a discovery error code. */
  reason?: string;
  message?: string;
}

export interface Connection {
  root: string;
  journalDir: string;
  /** Null when no bridge is known; `problem` says why. */
  endpoint: BridgeEndpoint | null;
  problem: LiveVariantsError | null;
  discovery: DiscoveryRead | null;
}

const DEFAULT_JOURNAL = 'journal';

export async function resolveRoot(args: ParsedArgs, cwd: string): Promise<string> {
  const root = stringFlag(args, 'root');
  if (root !== undefined) return resolve(cwd, root);
  return (await findWorkspaceRoot(cwd)) ?? resolve(cwd);
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LiveVariantsError(
      'invalid_value',
      `${field} must be an http URL, not ${JSON.stringify(url)}.`,
      field,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LiveVariantsError(
      'invalid_value',
      `${field} must be an http URL, not ${JSON.stringify(url)}.`,
      field,
    );
  }
  return trimUrl(url);
}

/** Reads discovery and identity and decides how to reach the bridge. Never throws for a missing bridge. */
export async function resolveConnection(
  args: ParsedArgs,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Connection> {
  const root = await resolveRoot(args, cwd);
  let discovery: DiscoveryRead | null = null;
  let problem: LiveVariantsError | null = null;
  try {
    discovery = await readDiscovery(root);
  } catch (err) {
    if (!(err instanceof LiveVariantsError)) throw err;
    problem = err;
  }
  let identityJournal: string | undefined;
  try {
    identityJournal = (await readIdentity(root))?.journalDir;
  } catch {
    // An unusable identity only loses a journal hint; the bridge replaces it on its next start.
  }
  const journalFlag = stringFlag(args, 'journal-dir');
  const journalDir =
    journalFlag !== undefined
      ? resolve(cwd, journalFlag)
      : (discovery?.discovery.journalDir ?? identityJournal ?? join(root, DISCOVERY_DIR, DEFAULT_JOURNAL));

  const live = discovery !== null && !discovery.stale ? discovery.discovery : null;
  const flagUrl = stringFlag(args, 'url');
  const flagToken = stringFlag(args, 'token');
  const envUrl = env.LIVE_VARIANTS_URL || undefined;
  const envToken = env.LIVE_VARIANTS_TOKEN || undefined;
  let endpoint: BridgeEndpoint | null = null;
  if (flagUrl !== undefined || flagToken !== undefined || envUrl !== undefined || envToken !== undefined) {
    const url = flagUrl ?? envUrl ?? (live ? `http://127.0.0.1:${live.port}` : undefined);
    const token = flagToken ?? envToken ?? live?.token;
    const source = flagUrl !== undefined || flagToken !== undefined ? 'flags' : 'env';
    if (url === undefined) {
      throw new LiveVariantsError(
        'missing_flag',
        'A token was given but no bridge URL: pass --url or set LIVE_VARIANTS_URL.',
        '--url',
      );
    }
    if (token === undefined) {
      throw new LiveVariantsError(
        'missing_flag',
        'A bridge URL was given but no token: pass --token or set LIVE_VARIANTS_TOKEN.',
        '--token',
      );
    }
    endpoint = { url: checkUrl(url, flagUrl !== undefined ? '--url' : 'LIVE_VARIANTS_URL'), token, source };
  } else if (live !== null) {
    endpoint = {
      url: `http://127.0.0.1:${live.port}`,
      token: live.token,
      source: 'discovery',
      pid: live.pid,
    };
  } else if (problem === null) {
    problem =
      discovery === null
        ? new LiveVariantsError(
            'bridge_not_running',
            `No bridge runs for ${root} (no ${DISCOVERY_DIR}/bridge.json). Start one with \`live-variants serve\` or open the folder in VS Code.`,
          )
        : new LiveVariantsError(
            'bridge_not_running',
            `The bridge of ${root} (pid ${discovery.discovery.pid}) is not running any more. Start one with \`live-variants serve\` or open the folder in VS Code.`,
          );
  }
  return { root, journalDir, endpoint, problem, discovery };
}

/** The bridge summary `status` prints when it did not reach a bridge. */
export function offlineBridgeInfo(conn: Connection, unreachable?: LiveVariantsError): BridgeInfo {
  if (unreachable !== undefined) {
    return {
      running: false,
      url: conn.endpoint?.url,
      source: conn.endpoint?.source,
      reason: 'unreachable',
      message: unreachable.message,
    };
  }
  if (conn.discovery?.stale) {
    return {
      running: false,
      pid: conn.discovery.discovery.pid,
      reason: 'stale_discovery',
      message: conn.problem?.message,
    };
  }
  if (conn.problem !== null && conn.problem.code !== 'bridge_not_running') {
    return { running: false, reason: conn.problem.code, message: conn.problem.message };
  }
  return { running: false, reason: 'no_discovery', message: conn.problem?.message };
}

/** The endpoint, or the reason there is none (so `poll` and friends fail with a clear code). */
export function requireEndpoint(conn: Connection): BridgeEndpoint {
  if (conn.endpoint !== null) return conn.endpoint;
  throw conn.problem ?? new LiveVariantsError('bridge_not_running', 'No bridge is running.');
}
