// The `live-variants` command lines status tells an agent to run next (docs/cli.md "Status report").
// Arguments are quoted for a POSIX shell only when they need it, so the common case reads plainly.

const SAFE_ARG = /^[A-Za-z0-9_./:@=+,-]+$/;

export function shellArg(arg: string): string {
  if (SAFE_ARG.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

const CLI = 'live-variants';

export const commands = {
  poll: (): string => `${CLI} poll`,
  status: (): string => `${CLI} status`,
  resume: (sessionId: string): string => `${CLI} resume ${shellArg(sessionId)}`,
  complete: (sessionId: string): string => `${CLI} complete ${shellArg(sessionId)}`,
  ackDone: (leaseId: string, file: string | null, count: number | null): string =>
    `${CLI} ack ${shellArg(leaseId)} done` +
    (file !== null ? ` --file ${shellArg(file)}` : '') +
    (count !== null ? ` --count ${count}` : ''),
  ackComplete: (leaseId: string): string => `${CLI} ack ${shellArg(leaseId)} complete`,
  ackDiscarded: (leaseId: string): string => `${CLI} ack ${shellArg(leaseId)} discarded`,
};
