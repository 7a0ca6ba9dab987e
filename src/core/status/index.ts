// The status reconciler's public surface (docs/cli.md "Status report").
export { shellArg } from './commands';
export { computeStatus } from './compute';
export { type GatherOptions, gatherStatusInputs } from './gather';
export * from './types';
