// `serve`: the headless bridge, for terminals, CI and tests without VS Code. Runs until SIGINT/SIGTERM, then
// closes cleanly (parked polls get {"type":"exit"}, the journal lock and bridge.json are released).

import { resolve } from 'node:path';
import { integerFlag, listFlag, stringFlag } from '../args';
import type { Command } from '../command';
import { HELP_FLAG, resolveRoot } from '../connection';
import { EXIT, printJson } from '../output';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the bridge for a workspace until interrupted (Ctrl-C).',
  usage:
    'serve [--root DIR] [--port N] [--accept-by bridge|agent] [--allow-origin URL]... [--lease-ms N] [--journal-dir DIR]',
  details: [
    'Prints one line {"type":"listening",url,port,pid,journalDir} once it listens (the token is in',
    '<root>/.live-variants/bridge.json, never printed), and {"type":"stopped",signal} after a clean stop.',
    'Logs go to stderr. --accept-by agent hands accepts and discards to agents as work instead of applying',
    'them in the bridge.',
  ].join('\n'),
  spec: {
    positionals: [],
    flags: {
      root: {
        kind: 'string',
        valueName: 'DIR',
        description: 'workspace folder (default: nearest above the current one)',
      },
      port: {
        kind: 'integer',
        valueName: 'N',
        min: 0,
        max: 65535,
        description: 'port (default: the persisted one)',
      },
      'accept-by': {
        kind: 'string',
        valueName: 'WHO',
        choices: ['bridge', 'agent'],
        description: 'who rewrites source on accept/discard (default bridge)',
      },
      'allow-origin': {
        kind: 'repeat',
        valueName: 'URL',
        description: 'browser origin allowed to connect (repeatable)',
      },
      'lease-ms': {
        kind: 'integer',
        valueName: 'N',
        min: 1000,
        max: 3_600_000,
        description: 'default lease length in ms',
      },
      'journal-dir': {
        kind: 'string',
        valueName: 'DIR',
        description: 'journal folder (default: the persisted one, else <root>/.live-variants/journal)',
      },
      ...HELP_FLAG,
    },
  },
  async run(args, io) {
    // Loaded here so the other commands do not pay for the server, `ws` and `chokidar` at every start.
    const { startBridge } = await import('../../bridge/server');
    const root = await resolveRoot(args, io.cwd);
    const acceptBy = stringFlag(args, 'accept-by') as 'bridge' | 'agent' | undefined;
    const journalDir = stringFlag(args, 'journal-dir');
    const bridge = await startBridge({
      root,
      watch: true,
      port: integerFlag(args, 'port'),
      acceptBy,
      allowedOrigins: listFlag(args, 'allow-origin'),
      leaseMs: integerFlag(args, 'lease-ms'),
      journalDir: journalDir === undefined ? undefined : resolve(io.cwd, journalDir),
      log: (level, message) => io.stderr(`${new Date().toISOString()} ${level} ${message}\n`),
    });
    printJson(io, {
      type: 'listening',
      url: bridge.url,
      port: bridge.port,
      pid: process.pid,
      journalDir: bridge.engine.journalDir,
    });
    const signal = await io.stopSignal();
    await bridge.close(signal);
    printJson(io, { type: 'stopped', signal });
    return EXIT.ok;
  },
};
