// `wrap`: puts the variant scaffold around the picked element in source (core `wrapInWorkspace`), locally and
// atomically, so an agent only has to write the variant blocks at `variantsLine`. The element comes from flags,
// or from the generate event a lease was given for (read from the journal, which needs no bridge).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LiveVariantsError } from '../../core/errors';
import { readSessionJournal } from '../../core/journal';
import { parseLeaseId } from '../../core/queue/leaseId';
import type { ElementContext } from '../../core/rewrite/findElement';
import { wrapInWorkspace } from '../../core/rewrite/workspaceOps';
import { integerFlag, type JsonObject, jsonFlag, listFlag, type ParsedArgs, stringFlag } from '../args';
import type { Command } from '../command';
import { resolveConnection, withConnectionFlags } from '../connection';
import { EXIT, printJson } from '../output';

const GENERATE = 'browser.generate';
const REQUEUED = 'work.requeued';

/** What a wrap needs to know about the request, from a generate event or from flags. */
export interface WrapRequest {
  sessionId: string;
  count?: number;
  mode?: 'replace' | 'insert';
  position?: 'before' | 'after';
  element: ElementContext;
  fileHint?: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the fields of a generate event (`poll`'s `event`, or a journal record's data). */
export function requestFromEvent(sessionId: string, event: JsonObject): WrapRequest {
  const el = isObject(event.element) ? event.element : {};
  const classes = Array.isArray(el.classes)
    ? el.classes.filter((c): c is string => typeof c === 'string')
    : [];
  return {
    sessionId,
    count: typeof event.count === 'number' ? event.count : undefined,
    mode: event.mode === 'insert' ? 'insert' : event.mode === 'replace' ? 'replace' : undefined,
    position: event.position === 'before' ? 'before' : event.position === 'after' ? 'after' : undefined,
    element: {
      tag: optionalString(el.tag),
      id: optionalString(el.id),
      classes,
      text: optionalString(el.text),
      pageUrl: optionalString(el.pageUrl),
    },
    fileHint: optionalString(event.fileHint),
  };
}

/** `<sessionId>-<seq>` of a lease id (`<itemId>@<epoch>.<fence>`). */
export function itemOfLease(leaseId: string): { sessionId: string; seq: number } {
  const parsed = parseLeaseId(leaseId);
  const m = parsed ? /^([A-Za-z0-9_-]{1,64})-([1-9][0-9]{0,15})$/.exec(parsed.itemId) : null;
  if (!m) {
    throw new LiveVariantsError(
      'invalid_value',
      `--lease ${JSON.stringify(leaseId)} is not a lease id printed by poll.`,
      '--lease',
    );
  }
  return { sessionId: m[1], seq: Number(m[2]) };
}

/**
 * The generate request a leased item stands for: the latest `browser.generate` (or its requeued copy) at or
 * before the item's record, so a retried or requeued generate finds the element too.
 */
export async function requestFromJournal(journalDir: string, leaseId: string): Promise<WrapRequest> {
  const { sessionId, seq } = itemOfLease(leaseId);
  const journal = await readSessionJournal(journalDir, sessionId);
  for (let i = journal.records.length - 1; i >= 0; i--) {
    const r = journal.records[i];
    if (r.seq > seq) continue;
    if (r.type === GENERATE || (r.type === REQUEUED && r.data.originalType === GENERATE)) {
      return requestFromEvent(sessionId, r.data);
    }
  }
  throw new LiveVariantsError(
    'not_a_generate',
    `Lease ${leaseId} is not for a generate request of session ${sessionId}; there is nothing to wrap.`,
    '--lease',
  );
}

function requestFromEventFlag(event: JsonObject, leaseId: string | undefined): WrapRequest {
  // Accept the whole poll answer as well as its `event`.
  const inner = isObject(event.event) ? event.event : event;
  const sessionId =
    optionalString(inner.sessionId) ??
    optionalString(event.sessionId) ??
    (leaseId ? itemOfLease(leaseId).sessionId : undefined);
  if (sessionId === undefined) {
    throw new LiveVariantsError(
      'invalid_value',
      '--event has no sessionId; pass --id or --lease too.',
      '--event',
    );
  }
  return requestFromEvent(sessionId, inner);
}

function applyFlags(base: WrapRequest | undefined, args: ParsedArgs): WrapRequest {
  const id = stringFlag(args, 'id');
  if (base !== undefined && id !== undefined && id !== base.sessionId) {
    throw new LiveVariantsError(
      'invalid_value',
      `--id ${id} is not the session of the lease (${base.sessionId}).`,
      '--id',
    );
  }
  const sessionId = id ?? base?.sessionId;
  if (sessionId === undefined) {
    throw new LiveVariantsError(
      'missing_flag',
      '--id is required (or --lease): the session to wrap for.',
      '--id',
    );
  }
  const element: ElementContext = { ...(base?.element ?? {}) };
  const tag = stringFlag(args, 'tag');
  const elementId = stringFlag(args, 'element-id');
  const classes = listFlag(args, 'classes');
  const text = stringFlag(args, 'text');
  if (tag !== undefined) element.tag = tag;
  if (elementId !== undefined) element.id = elementId;
  if (classes !== undefined) element.classes = classes;
  if (text !== undefined) element.text = text;
  return {
    sessionId,
    count: integerFlag(args, 'count') ?? base?.count,
    mode: (stringFlag(args, 'mode') as WrapRequest['mode']) ?? base?.mode,
    position: (stringFlag(args, 'position') as WrapRequest['position']) ?? base?.position,
    element,
    fileHint: base?.fileHint,
  };
}

export const wrapCommand: Command = {
  name: 'wrap',
  summary: 'Wrap the picked element in the variant scaffold, in source (no bridge needed).',
  usage:
    'wrap (--id ID --count N [--tag T] [--element-id X] [--classes a,b] [--text T] | --lease LEASEID [--event JSON]) [--file F] [--line N] [--mode replace|insert] [--position before|after]',
  details: [
    'Finds the element (by id, classes, or tag + text) in --file, or in the file the browser hinted, or by',
    'searching the workspace; writes the wrapper atomically and prints',
    '{sessionId, file, status, mode, wrappedLines:[a,b], variantsLine, variantIndent, commentSyntax, elementLines}.',
    'Write variant blocks before line `variantsLine`, indented by `variantIndent`. With --lease the element, count',
    'and mode come from the leased generate (read from the journal, or from --event: the JSON poll printed).',
    'Refusals: element_not_found, element_ambiguous (with candidates; pass --file or --line), file_is_generated',
    '(wrap in the true source instead). Running it again for the same session answers status "alreadyApplied".',
  ].join('\n'),
  spec: withConnectionFlags(
    {
      positionals: [],
      flags: {
        id: { kind: 'string', valueName: 'ID', description: 'session id' },
        count: { kind: 'integer', valueName: 'N', min: 1, max: 20, description: 'variants to be written' },
        lease: {
          kind: 'string',
          valueName: 'LEASEID',
          description: 'take everything from this leased generate',
        },
        event: {
          kind: 'json',
          valueName: 'JSON',
          description: 'the generate event (or the whole poll answer)',
        },
        tag: { kind: 'string', valueName: 'T', description: 'element tag name' },
        'element-id': { kind: 'string', valueName: 'X', description: 'element id attribute' },
        classes: { kind: 'list', valueName: 'a,b', description: 'element classes' },
        text: { kind: 'string', valueName: 'T', description: 'start of the element text' },
        file: { kind: 'string', valueName: 'F', description: 'file holding the element' },
        line: {
          kind: 'integer',
          valueName: 'N',
          min: 1,
          max: 10_000_000,
          description: 'a line inside the element (disambiguates)',
        },
        mode: {
          kind: 'string',
          valueName: 'MODE',
          choices: ['replace', 'insert'],
          description: 'wrap the element or insert beside it',
        },
        position: {
          kind: 'string',
          valueName: 'POS',
          choices: ['before', 'after'],
          description: 'insert mode: where',
        },
      },
    },
    true,
  ),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const leaseId = stringFlag(args, 'lease');
    const eventFlag = jsonFlag(args, 'event');
    let base: WrapRequest | undefined;
    if (eventFlag !== undefined) base = requestFromEventFlag(eventFlag, leaseId);
    else if (leaseId !== undefined) base = await requestFromJournal(conn.journalDir, leaseId);
    const request = applyFlags(base, args);
    if (request.count === undefined) {
      throw new LiveVariantsError(
        'missing_flag',
        '--count is required: how many variants will be written.',
        '--count',
      );
    }
    const fileFlag = stringFlag(args, 'file');
    let file: string | undefined;
    if (fileFlag !== undefined) file = resolve(io.cwd, fileFlag);
    else if (request.fileHint !== undefined && existsSync(resolve(conn.root, request.fileHint))) {
      file = resolve(conn.root, request.fileHint);
    }
    const mode = request.mode ?? 'replace';
    const result = await wrapInWorkspace(conn.root, {
      sessionId: request.sessionId,
      count: request.count,
      element: request.element,
      mode,
      position: mode === 'insert' ? (request.position ?? 'after') : undefined,
      line: integerFlag(args, 'line'),
      file,
    });
    printJson(io, {
      sessionId: request.sessionId,
      file: result.file,
      status: result.status,
      mode: result.mode,
      wrappedLines: result.wrappedLines,
      variantsLine: result.variantsLine,
      variantIndent: result.variantIndent,
      commentSyntax: result.commentSyntax,
      elementLines: result.elementLines,
    });
    return EXIT.ok;
  },
};
