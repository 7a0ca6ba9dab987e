import { describe, expect, it } from 'vitest';
import { type ArgSpec, parseArgs } from '../../../src/cli/args';
import { LiveVariantsError } from '../../../src/core/errors';

const spec: ArgSpec = {
  positionals: [
    { name: 'leaseId', description: 'the lease', required: true },
    { name: 'result', description: 'what happened', required: false, choices: ['done', 'error'] },
  ],
  flags: {
    count: { kind: 'integer', min: 1, max: 8, description: 'n' },
    file: { kind: 'string', description: 'f' },
    force: { kind: 'boolean', description: 'b' },
    types: { kind: 'list', choices: ['generate', 'accept'], description: 'l' },
    'allow-origin': { kind: 'repeat', description: 'r' },
    data: { kind: 'json', description: 'j' },
    mode: { kind: 'string', choices: ['replace', 'insert'], description: 'm' },
    help: { kind: 'boolean', description: 'h' },
  },
};

function failure(argv: string[]): { code: string; field: string | undefined; message: string } {
  try {
    parseArgs(argv, spec);
  } catch (e) {
    if (e instanceof LiveVariantsError) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a usage error');
}

describe('parseArgs', () => {
  it('reads positionals and every flag kind, in both --flag value and --flag=value forms', () => {
    const args = parseArgs(
      [
        'L1',
        '--count',
        '3',
        'done',
        '--file=src/a.html',
        '--force',
        '--types',
        'generate, accept',
        '--allow-origin',
        'http://a',
        '--allow-origin=http://b',
        '--data',
        '{"x":1}',
      ],
      spec,
    );
    expect(args).toEqual({
      positionals: { leaseId: 'L1', result: 'done' },
      flags: {
        count: 3,
        file: 'src/a.html',
        force: true,
        types: ['generate', 'accept'],
        'allow-origin': ['http://a', 'http://b'],
        data: { x: 1 },
      },
    });
  });

  it('treats words after -- as positionals even when they start with a dash', () => {
    expect(parseArgs(['--', '--not-a-flag'], spec).positionals).toEqual({ leaseId: '--not-a-flag' });
  });

  it('refuses an unknown flag, naming it', () => {
    expect(failure(['L', '--bogus', '1'])).toEqual({
      code: 'unknown_flag',
      field: '--bogus',
      message: 'Unknown flag --bogus. Run with --help to see the flags.',
    });
  });

  it('refuses single-dash flags other than -h', () => {
    expect(failure(['L', '-f'])).toMatchObject({ code: 'unknown_flag', field: '-f' });
  });

  it('refuses a flag whose value is missing at the end or replaced by the next flag', () => {
    expect(failure(['L', '--file'])).toEqual({
      code: 'missing_value',
      field: '--file',
      message: '--file needs a value.',
    });
    expect(failure(['L', '--file', '--force'])).toMatchObject({ code: 'missing_value', field: '--file' });
  });

  it('refuses numbers that are not integers or are out of range', () => {
    expect(failure(['L', '--count', 'abc'])).toEqual({
      code: 'invalid_value',
      field: '--count',
      message: '--count must be an integer from 1 to 8, not "abc".',
    });
    expect(failure(['L', '--count', '2.5'])).toMatchObject({ code: 'invalid_value', field: '--count' });
    expect(failure(['L', '--count', '9'])).toEqual({
      code: 'invalid_value',
      field: '--count',
      message: '--count must be an integer from 1 to 8, not 9.',
    });
    expect(failure(['L', '--count', '-1'])).toMatchObject({ code: 'invalid_value', field: '--count' });
  });

  it('refuses values outside the choices of a flag, a list item or a positional', () => {
    expect(failure(['L', '--mode', 'merge'])).toEqual({
      code: 'invalid_value',
      field: '--mode',
      message: '--mode must be one of replace, insert, not "merge".',
    });
    expect(failure(['L', '--types', 'generate,nope'])).toMatchObject({
      code: 'invalid_value',
      field: '--types',
    });
    expect(failure(['L', 'finished'])).toMatchObject({ code: 'invalid_value', field: '<result>' });
  });

  it('refuses JSON that does not parse or is not an object', () => {
    expect(failure(['L', '--data', '{x'])).toMatchObject({ code: 'invalid_value', field: '--data' });
    expect(failure(['L', '--data', '[1]'])).toEqual({
      code: 'invalid_value',
      field: '--data',
      message: '--data must be a JSON object.',
    });
  });

  it('refuses a value on a boolean flag and a repeated single-value flag', () => {
    expect(failure(['L', '--force=yes'])).toMatchObject({ code: 'invalid_value', field: '--force' });
    expect(failure(['L', '--file', 'a', '--file', 'b'])).toMatchObject({
      code: 'duplicate_flag',
      field: '--file',
    });
  });

  it('refuses missing and surplus positionals', () => {
    expect(failure([])).toEqual({
      code: 'missing_argument',
      field: 'leaseId',
      message: 'Missing <leaseId>: the lease.',
    });
    expect(failure(['L', 'done', 'extra'])).toMatchObject({ code: 'unexpected_argument', field: 'extra' });
  });

  it('skips positional checks when help is asked (-h or --help)', () => {
    expect(parseArgs(['-h'], spec)).toEqual({ positionals: {}, flags: { help: true } });
    expect(parseArgs(['--help'], spec).flags.help).toBe(true);
  });
});
