import { describe, expect, it } from 'vitest';
import { type CliIo, EXIT, exitCodeFor, printError, toCliError } from '../../../src/cli/output';
import { LiveVariantsError } from '../../../src/core/errors';

function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {},
      cwd: '/',
      stopSignal: () => new Promise(() => {}),
    },
  };
}

describe('printError', () => {
  it('prints {error, field, message} with field null when the error has none, then the detail', () => {
    const c = captureIo();
    const code = printError(
      c.io,
      new LiveVariantsError('not_clean', 'Session x still has 1 marker(s).', undefined, {
        findings: [{ line: 3 }],
      }),
    );
    expect(code).toBe(EXIT.failed);
    expect(c.out).toEqual([
      '{"error":"not_clean","field":null,"message":"Session x still has 1 marker(s).","findings":[{"line":3}]}\n',
    ]);
    expect(c.err).toEqual(['live-variants: Session x still has 1 marker(s).\n']);
  });

  it('keeps the field when the error names one', () => {
    const c = captureIo();
    printError(c.io, new LiveVariantsError('unknown_flag', 'Unknown flag --x.', '--x'));
    expect(JSON.parse(c.out[0])).toEqual({
      error: 'unknown_flag',
      field: '--x',
      message: 'Unknown flag --x.',
    });
  });

  it('turns an unexpected exception into internal_error without a stack', () => {
    const c = captureIo();
    expect(printError(c.io, new TypeError('boom'))).toBe(1);
    expect(JSON.parse(c.out[0])).toEqual({
      error: 'internal_error',
      field: null,
      message: 'Unexpected failure: boom',
    });
    expect(toCliError('plain').message).toBe('Unexpected failure: plain');
  });
});

describe('exit codes', () => {
  it('maps usage errors to 2, missing bridges to 3 and everything else to 1', () => {
    for (const code of [
      'unknown_flag',
      'missing_value',
      'invalid_value',
      'missing_flag',
      'missing_argument',
      'unknown_command',
    ]) {
      expect(exitCodeFor(new LiveVariantsError(code, 'm'))).toBe(2);
    }
    for (const code of ['bridge_not_running', 'bridge_unreachable', 'bridge_timeout']) {
      expect(exitCodeFor(new LiveVariantsError(code, 'm'))).toBe(3);
    }
    for (const code of ['not_clean', 'unknown_lease', 'journal_locked', 'element_not_found']) {
      expect(exitCodeFor(new LiveVariantsError(code, 'm'))).toBe(1);
    }
  });
});
