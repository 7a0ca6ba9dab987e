// Diagnostics go to a LogOutputChannel (level filter, timestamps, log file all come from VS Code). Timing spans
// are logged there too, and appended as JSON lines to $LIVE_VARIANTS_TIMINGS when set (the bench reads them).
import { appendFileSync } from 'node:fs';
import type * as vscode from 'vscode';

export type LogLevel = 'info' | 'warn' | 'error';

export class Log {
  private readonly timingsFile = process.env.LIVE_VARIANTS_TIMINGS;

  constructor(readonly channel: vscode.LogOutputChannel) {}

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  /** For core callbacks that pass the level as data. */
  write(level: LogLevel, message: string): void {
    this[level](message);
  }

  timing(span: string, ms: number, detail: Record<string, unknown> = {}): void {
    this.channel.info(`timing ${span}: ${ms.toFixed(1)} ms`);
    if (!this.timingsFile) return;
    try {
      appendFileSync(this.timingsFile, `${JSON.stringify({ span, ms, pid: process.pid, ...detail })}\n`);
    } catch {
      // A bench hook; failing to write it must not disturb the extension.
    }
  }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
