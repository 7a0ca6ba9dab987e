// Which agent a CLI call comes from (docs/agents.md "Agent identity"). `--agent`, else LIVE_VARIANTS_AGENT,
// else an id minted for the terminal: the terminal's own session variable when it has one (tmux pane, screen
// window, WezTerm/kitty pane, iTerm/Terminal.app session, Windows Terminal session, Konsole, GNOME Terminal,
// Terminator, Tilix, Alacritty), else the parent process (the shell) — with its start time on Linux, so a
// reused pid is a new terminal. VS Code's integrated terminals have no such variable and inherit the
// variables of whatever terminal launched VS Code, so there the parent process is used. The id is derived
// from that key (`term-<10 hex>`), so it is the same for every command of the terminal even when nothing can
// be written; it is also remembered in `<root>/.live-variants/agents/<key hash>.json`, where a person may
// pin another id or a display name.
import { createHash } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicFile';
import { cleanLabel, isAgentId, validateAgentId } from './ids';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TerminalKey {
  /** Where the key came from: `tmux`, `screen`, `wezterm`, `kitty`, `iterm`, `apple-terminal`, `windows-terminal`, `konsole`, `gnome-terminal`, `terminator`, `tilix`, `alacritty` or `ppid`. */
  source: string;
  key: string;
}

export interface TerminalKeyOptions {
  ppid?: number;
  /** Start time of a process (Linux: field 22 of /proc/<pid>/stat); undefined where unknown. */
  processStartTime?: (pid: number) => string | undefined;
}

const TERMINAL_VARS: readonly { source: string; vars: readonly string[] }[] = [
  { source: 'tmux', vars: ['TMUX', 'TMUX_PANE'] },
  { source: 'screen', vars: ['STY', 'WINDOW'] },
  { source: 'wezterm', vars: ['WEZTERM_PANE'] },
  { source: 'kitty', vars: ['KITTY_WINDOW_ID'] },
  { source: 'iterm', vars: ['ITERM_SESSION_ID'] },
  { source: 'apple-terminal', vars: ['TERM_SESSION_ID'] },
  { source: 'windows-terminal', vars: ['WT_SESSION'] },
  { source: 'konsole', vars: ['KONSOLE_DBUS_SESSION'] },
  { source: 'gnome-terminal', vars: ['GNOME_TERMINAL_SCREEN'] },
  { source: 'terminator', vars: ['TERMINATOR_UUID'] },
  { source: 'tilix', vars: ['TILIX_ID'] },
  { source: 'alacritty', vars: ['ALACRITTY_WINDOW_ID'] },
];
/** Variables that make a terminal key more specific when present (which server, which process). */
const QUALIFIERS: Readonly<Record<string, readonly string[]>> = {
  wezterm: ['WEZTERM_UNIX_SOCKET'],
  kitty: ['KITTY_PID'],
  konsole: ['KONSOLE_DBUS_SERVICE'],
};

/** The key that names the calling terminal (pure but for the default process start time lookup). */
export function terminalKey(env: Env, opts: TerminalKeyOptions = {}): TerminalKey {
  if (env.TERM_PROGRAM !== 'vscode') {
    for (const t of TERMINAL_VARS) {
      const values = t.vars.map((v) => env[v]);
      if (values.some((v) => v === undefined || v === '')) continue;
      const extra = (QUALIFIERS[t.source] ?? []).map((v) => env[v] ?? '');
      return { source: t.source, key: [t.source, ...values, ...extra].join('\u0000') };
    }
  }
  const ppid = opts.ppid ?? process.ppid;
  const started = (opts.processStartTime ?? linuxProcessStartTime)(ppid);
  return { source: 'ppid', key: ['ppid', String(ppid), started ?? ''].join('\u0000') };
}

/** Linux only: the process's start time in clock ticks since boot; undefined elsewhere or when unreadable. */
export function linuxProcessStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19];
  } catch {
    return undefined;
  }
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The id derived from a terminal key. */
export function agentIdForKey(key: string): string {
  return `term-${keyHash(key).slice(0, 10)}`;
}

/**
 * Best-effort name of the program driving the agent, from variables harnesses set in the shells they run:
 * LIVE_VARIANTS_HARNESS when given, `claude-code` (CLAUDECODE=1), `gemini-cli` (GEMINI_CLI=1), `codex`
 * (CODEX_SANDBOX*), `vscode-terminal` (TERM_PROGRAM=vscode), else `cli`.
 */
export function detectHarness(env: Env): string {
  const named = env.LIVE_VARIANTS_HARNESS;
  if (named !== undefined && named !== '') return cleanLabel(named, 'LIVE_VARIANTS_HARNESS', 40, 'cli');
  if (env.CLAUDECODE === '1') return 'claude-code';
  if (env.GEMINI_CLI === '1') return 'gemini-cli';
  if (env.CODEX_SANDBOX !== undefined || env.CODEX_SANDBOX_NETWORK_DISABLED !== undefined) return 'codex';
  if (env.TERM_PROGRAM === 'vscode') return 'vscode-terminal';
  return 'cli';
}

export const AGENTS_DIR = join('.live-variants', 'agents');
/** Remembered ids unused for this long are removed when a new one is written. */
const FORGET_AFTER_MS = 30 * 24 * 3_600_000;

export interface MintedAgent {
  agentId: string;
  name: string;
  harness: string;
  /** The terminal key's source (`tmux`, `ppid`…). */
  source: string;
  /** The file that remembers it; null when it could not be written (read-only workspace). */
  file: string | null;
  /** True when the id came from the file (an earlier command of this terminal, or a pinned id). */
  remembered: boolean;
}

export interface MintOptions extends TerminalKeyOptions {
  now?: () => number;
}

/**
 * The calling terminal's agent id, remembered under `<cwd>/.live-variants/agents/`. Never throws for an
 * unwritable directory or a damaged file: the derived id is the same either way.
 */
export async function mintAgentId(env: Env, cwd: string, opts: MintOptions = {}): Promise<MintedAgent> {
  const tk = terminalKey(env, opts);
  const hash = keyHash(tk.key).slice(0, 16);
  const dir = join(cwd, AGENTS_DIR);
  const file = join(dir, `${hash}.json`);
  const harness = detectHarness(env);
  const derived = agentIdForKey(tk.key);
  const saved = await readRemembered(file);
  if (saved !== undefined) {
    // Keep a file in use from looking stale to forgetStale.
    const t = new Date((opts.now ?? Date.now)());
    await fsp.utimes(file, t, t).catch(() => undefined);
    return {
      agentId: saved.agentId,
      name: saved.name ?? defaultName(harness, saved.agentId),
      harness,
      source: tk.source,
      file,
      remembered: true,
    };
  }
  const now = (opts.now ?? Date.now)();
  let written: string | null = file;
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await forgetStale(dir, now);
    const body = { v: 1, agentId: derived, source: tk.source, createdAt: new Date(now).toISOString() };
    await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`);
  } catch {
    written = null;
  }
  return {
    agentId: derived,
    name: defaultName(harness, derived),
    harness,
    source: tk.source,
    file: written,
    remembered: false,
  };
}

function defaultName(harness: string, agentId: string): string {
  return `${harness} ${agentId.slice(-4)}`;
}

async function readRemembered(file: string): Promise<{ agentId: string; name?: string } | undefined> {
  try {
    const doc: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    if (typeof doc !== 'object' || doc === null) return undefined;
    const { agentId, name } = doc as Record<string, unknown>;
    if (!isAgentId(agentId)) return undefined;
    const label = typeof name === 'string' ? cleanLabel(name, 'name', 80, '') : '';
    return label ? { agentId, name: label } : { agentId };
  } catch {
    return undefined;
  }
}

async function forgetStale(dir: string, now: number): Promise<void> {
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{16}\.json$/.test(name)) continue;
    const path = join(dir, name);
    const st = await fsp.stat(path).catch(() => undefined);
    if (st && now - st.mtimeMs > FORGET_AFTER_MS) await fsp.rm(path, { force: true }).catch(() => undefined);
  }
}

export interface AgentIdentity {
  agentId: string;
  name: string;
  harness: string;
  /** `flag` (--agent), `env` (LIVE_VARIANTS_AGENT) or `terminal` (minted). */
  from: 'flag' | 'env' | 'terminal';
}

/**
 * `--agent`, else LIVE_VARIANTS_AGENT, else the terminal's minted id. Name: `--name`, else
 * LIVE_VARIANTS_AGENT_NAME, else the remembered or default name. A bad flag or variable throws a
 * LiveVariantsError naming it.
 */
export async function resolveAgentIdentity(input: {
  flag?: string;
  name?: string;
  env: Env;
  cwd: string;
  mint?: MintOptions;
}): Promise<AgentIdentity> {
  const harness = detectHarness(input.env);
  const nameOverride = input.name ?? input.env.LIVE_VARIANTS_AGENT_NAME;
  const name = (fallback: string) =>
    nameOverride !== undefined && nameOverride !== ''
      ? cleanLabel(nameOverride, 'name', 80, fallback)
      : fallback;
  if (input.flag !== undefined) {
    const agentId = validateAgentId(input.flag, '--agent');
    return { agentId, name: name(agentId), harness, from: 'flag' };
  }
  const fromEnv = input.env.LIVE_VARIANTS_AGENT;
  if (fromEnv !== undefined && fromEnv !== '') {
    const agentId = validateAgentId(fromEnv, 'LIVE_VARIANTS_AGENT');
    return { agentId, name: name(agentId), harness, from: 'env' };
  }
  const minted = await mintAgentId(input.env, input.cwd, input.mint);
  return { agentId: minted.agentId, name: name(minted.name), harness, from: 'terminal' };
}
