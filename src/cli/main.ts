// The `live-variants` command. Subcommands arrive with the bridge issue; for now it reports its version.
const VERSION = '0.1.0';

function main(argv: string[]): number {
  const [command] = argv;
  if (command === undefined || command === '--version' || command === 'version') {
    process.stdout.write(`${JSON.stringify({ name: 'live-variants', version: VERSION })}\n`);
    return 0;
  }
  process.stdout.write(
    `${JSON.stringify({ error: 'unknown_command', field: 'command', message: `Unknown command "${command}".` })}\n`,
  );
  return 2;
}

process.exitCode = main(process.argv.slice(2));
