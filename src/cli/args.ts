// A small strict argv parser. Agents call the CLI from scripts, so a typo must fail loudly (exit 2 with a JSON
// error naming the flag) instead of being ignored and silently changing what the command does.

import { LiveVariantsError } from '../core/errors';

export type JsonObject = { [key: string]: unknown };

/**
 * `string`, `integer`, `boolean` (no value), `list` (comma-separated, e.g. `--types a,b`), `repeat` (may be
 * given several times, e.g. `--allow-origin A --allow-origin B`), `json` (a JSON object).
 */
export type FlagKind = 'string' | 'integer' | 'boolean' | 'list' | 'repeat' | 'json';

export interface FlagSpec {
  kind: FlagKind;
  description: string;
  /** Placeholder shown in help (`--port N`). */
  valueName?: string;
  min?: number;
  max?: number;
  /** The only values allowed (for `string` and each item of `list`). */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  choices?: readonly string[];
}

export interface ArgSpec {
  positionals: readonly PositionalSpec[];
  flags: Readonly<Record<string, FlagSpec>>;
}

export type FlagValue = string | number | boolean | string[] | JsonObject;

export interface ParsedArgs {
  positionals: Record<string, string>;
  flags: Record<string, FlagValue>;
}

/** Error codes of bad command lines; they all exit with status 2. */
export const USAGE_ERROR_CODES: ReadonlySet<string> = new Set([
  'unknown_command',
  'unknown_flag',
  'missing_value',
  'invalid_value',
  'duplicate_flag',
  'missing_argument',
  'unexpected_argument',
  'missing_flag',
]);

function usage(code: string, field: string, message: string): LiveVariantsError {
  return new LiveVariantsError(code, message, field);
}

function parseInteger(flag: string, raw: string, spec: FlagSpec): number {
  const min = spec.min ?? Number.MIN_SAFE_INTEGER;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  const range = `an integer from ${min} to ${max}`;
  if (!/^-?[0-9]{1,16}$/.test(raw)) {
    throw usage('invalid_value', flag, `${flag} must be ${range}, not ${JSON.stringify(raw)}.`);
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usage('invalid_value', flag, `${flag} must be ${range}, not ${raw}.`);
  }
  return n;
}

function checkChoice(flag: string, value: string, choices: readonly string[] | undefined): void {
  if (choices !== undefined && !choices.includes(value)) {
    throw usage(
      'invalid_value',
      flag,
      `${flag} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}.`,
    );
  }
}

function parseJsonObject(flag: string, raw: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw usage('invalid_value', flag, `${flag} must be a JSON object; it is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage('invalid_value', flag, `${flag} must be a JSON object.`);
  }
  return value as JsonObject;
}

function parseValue(flag: string, raw: string, spec: FlagSpec): FlagValue {
  switch (spec.kind) {
    case 'integer':
      return parseInteger(flag, raw, spec);
    case 'json':
      return parseJsonObject(flag, raw);
    case 'list': {
      const items = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.length === 0) throw usage('invalid_value', flag, `${flag} needs at least one value.`);
      for (const item of items) checkChoice(flag, item, spec.choices);
      return items;
    }
    default:
      checkChoice(flag, raw, spec.choices);
      return raw;
  }
}

/**
 * Parses `argv` (the words after the command name) against `spec`. Accepts `--flag value`, `--flag=value`,
 * bare booleans, and `--` to end flags. Throws a LiveVariantsError with a usage code on any mistake.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const flags: Record<string, FlagValue> = {};
  const words: string[] = [];
  let flagsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (flagsEnded || !word.startsWith('-') || word === '-') {
      words.push(word);
      continue;
    }
    if (word === '--') {
      flagsEnded = true;
      continue;
    }
    const eq = word.indexOf('=');
    const written = eq === -1 ? word : word.slice(0, eq);
    const name = written === '-h' ? 'help' : written.startsWith('--') ? written.slice(2) : '';
    const flagSpec = name === '' ? undefined : spec.flags[name];
    if (flagSpec === undefined || !Object.hasOwn(spec.flags, name)) {
      throw usage('unknown_flag', written, `Unknown flag ${written}. Run with --help to see the flags.`);
    }
    const flag = `--${name}`;
    if (flagSpec.kind === 'boolean') {
      if (eq !== -1) throw usage('invalid_value', flag, `${flag} takes no value.`);
      flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // A following flag means the value was forgotten; a negative number is still a value.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw usage(
          'missing_value',
          flag,
          `${flag} needs a value${flagSpec.valueName ? ` (${flagSpec.valueName})` : ''}.`,
        );
      }
      raw = next;
      i++;
    }
    const value = parseValue(flag, raw, flagSpec);
    if (flagSpec.kind === 'repeat') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value as string);
      flags[name] = list;
    } else if (Object.hasOwn(flags, name)) {
      throw usage('duplicate_flag', flag, `${flag} is given more than once.`);
    } else {
      flags[name] = value;
    }
  }
  const positionals: Record<string, string> = {};
  if (flags.help === true) return { positionals, flags };
  if (words.length > spec.positionals.length) {
    const extra = words[spec.positionals.length];
    throw usage('unexpected_argument', extra, `Unexpected argument ${JSON.stringify(extra)}.`);
  }
  spec.positionals.forEach((p, index) => {
    const word = words[index];
    if (word === undefined) {
      if (p.required) throw usage('missing_argument', p.name, `Missing <${p.name}>: ${p.description}.`);
      return;
    }
    checkChoice(`<${p.name}>`, word, p.choices);
    positionals[p.name] = word;
  });
  return { positionals, flags };
}

// Typed accessors: the parser already checked the kinds, these only narrow the union.

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function integerFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const v = args.flags[name];
  return Array.isArray(v) ? v : undefined;
}

export function jsonFlag(args: ParsedArgs, name: string): JsonObject | undefined {
  const v = args.flags[name];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

/** Throws `missing_flag` when a flag the command needs was not given. */
export function requireFlag<T>(value: T | undefined, name: string, why: string): T {
  if (value === undefined) throw usage('missing_flag', `--${name}`, `--${name} is required: ${why}.`);
  return value;
}
