// Types for codeServer.mjs (plain JavaScript so `node scripts/demo.mjs` runs it without a build step).

export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  [key: string]: unknown;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  pid: number | undefined;
  log(): string;
  folderUrl(dir: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  bin: string;
  dataDir: string;
  extensionsDir: string;
  folder?: string;
  port?: number;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
}

export const QUIET_SETTINGS: Record<string, unknown>;
export function readManifest(root: string): Manifest;
export function extensionFolderName(manifest: Manifest): string;
export function codeServerBin(root: string): string | null;
export function buildExtensionInto(
  root: string,
  dir: string,
  opts?: { production?: boolean },
): Promise<string>;
export function installUnpacked(
  root: string,
  extensionsDir: string,
  opts?: { production?: boolean },
): Promise<string>;
export function freePort(): Promise<number>;
export function startCodeServer(opts: StartOptions): Promise<RunningCodeServer>;
