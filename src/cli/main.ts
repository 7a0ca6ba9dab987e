// The `live-variants` command (bundled to dist/cli.js). See docs/cli.md.

import { runCli } from './run';

const stopSignal = () =>
  new Promise<string>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stopSignal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`live-variants: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
