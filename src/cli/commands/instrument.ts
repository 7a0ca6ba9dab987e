// `instrument <file>` / `instrument <file> --remove`: puts the browser client's script tag into a page entry
// file between `live-variants-start/end` comments, or takes it out. Idempotent both ways. The tag points at
// `<bridge>/live.js` and never carries a token (the script asks the bridge for one at run time).

import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { readIdentity } from '../../bridge/discovery';
import { LiveVariantsError } from '../../core/errors';
import { instrumentText, liveScriptUrl, removeInstrumentation } from '../../core/instrument';
import { writeFileAtomic } from '../../core/rewrite/writeFileAtomic';
import { booleanFlag, stringFlag } from '../args';
import type { Command } from '../command';
import { resolveConnection, withConnectionFlags } from '../connection';
import { EXIT, printJson } from '../output';

async function scriptUrlFor(root: string, bridgeUrl: string | undefined): Promise<string> {
  if (bridgeUrl !== undefined) return liveScriptUrl(bridgeUrl);
  const identity = await readIdentity(root).catch(() => null);
  if (identity && identity.port > 0) return liveScriptUrl(`http://127.0.0.1:${identity.port}`);
  throw new LiveVariantsError(
    'bridge_not_running',
    'No bridge port is known for this workspace yet: start the bridge once (live-variants serve) or pass --bridge.',
    '--bridge',
  );
}

export const instrumentCommand: Command = {
  name: 'instrument',
  summary: 'Insert (or with --remove, take out) the live script tag in an HTML or JSX/TSX entry file.',
  usage: 'instrument <file> [--remove] [--bridge BRIDGE_URL]',
  details:
    'The tag sits between live-variants-start/end comments in the comment syntax of the file kind. Running it twice changes nothing; --remove restores the file byte for byte.',
  spec: withConnectionFlags({
    positionals: [
      { name: 'file', description: 'the page entry file (workspace-relative or absolute)', required: true },
    ],
    flags: {
      remove: { kind: 'boolean', description: 'take the script tag out' },
      bridge: {
        kind: 'string',
        valueName: 'URL',
        description: 'bridge URL for the tag (default: the running or last bridge)',
      },
    },
  }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const path = resolve(io.cwd, args.positionals.file);
    const file = relative(conn.root, path).split('\\').join('/');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new LiveVariantsError('file_not_found', `Cannot read ${args.positionals.file}.`, 'file');
    }
    if (booleanFlag(args, 'remove')) {
      const r = removeInstrumentation(text, { path });
      if (r.changed) await writeFileAtomic(path, r.text);
      printJson(io, { file, status: r.status, changed: r.changed });
      return EXIT.ok;
    }
    const url = stringFlag(args, 'bridge') ?? conn.endpoint?.url;
    const r = instrumentText(text, { path, scriptUrl: await scriptUrlFor(conn.root, url) });
    if (r.changed) await writeFileAtomic(path, r.text);
    printJson(io, { file, status: r.status, changed: r.changed, scriptUrl: r.scriptUrl });
    return EXIT.ok;
  },
};
