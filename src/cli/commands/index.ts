// Every subcommand, in the order `help` lists them.

import type { Command } from '../command';
import { agentsCommand, askCommand, interruptCommand, logCommand } from './agents';
import { instructionsCommand, versionCommand } from './info';
import { instrumentCommand } from './instrument';
import { serveCommand } from './serve';
import { acceptCommand, completeCommand, discardCommand, resumeCommand } from './session';
import { statusCommand } from './status';
import { ackCommand, pollCommand } from './work';
import { wrapCommand } from './wrap';

export const COMMANDS: readonly Command[] = [
  statusCommand,
  pollCommand,
  wrapCommand,
  ackCommand,
  resumeCommand,
  completeCommand,
  acceptCommand,
  discardCommand,
  logCommand,
  askCommand,
  agentsCommand,
  interruptCommand,
  serveCommand,
  instrumentCommand,
  instructionsCommand,
  versionCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
