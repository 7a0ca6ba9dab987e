// `POST /v1/artifacts?sessionId=ID&name=NAME`: a file the page uploads for an active session (the annotated
// element screenshot), raw bytes in the body, browser token. Stored beside the session's journal in
// `<journalDir>/<id>.artifacts/<name>` (temp + fsync + rename) and recorded in that folder's manifest (size,
// sha256, content type, the generate it belongs to) before the 201, so status can report it missing later;
// deleted with the session when it is archived (docs/browser.md "Artifacts").
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionEngine } from '../core/engine';
import { LiveVariantsError } from '../core/errors';
import { type GenerateRef, storeArtifact, validateArtifactName } from '../core/journal/artifacts';
import { nodeJournalFs } from '../core/journal/journalFs';
import { artifactsDir, validateSessionId } from '../core/journal/paths';
import { sendError, sendJson } from './httpIo';
import type { Route } from './routes';
import { BODY_DRAIN_LIMIT, BODY_LIMIT_ARTIFACT } from './security';

/** Content types the route takes; the bytes are stored as sent. */
export const ARTIFACT_CONTENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'application/octet-stream',
];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function tooLarge(limit: number): LiveVariantsError {
  return new LiveVariantsError('payload_too_large', `The artifact is larger than ${limit} bytes.`, 'body', {
    limit,
  });
}

/** Keeps reading (and dropping) what the client still sends so it sees the answer; cuts off past the limit. */
function drain(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > BODY_DRAIN_LIMIT) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

/** The request body as bytes, at most `limit` of them. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      drain(req);
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (e: LiveVariantsError) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      drain(req);
      reject(e);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > limit) fail(tooLarge(limit));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, received));
    });
    req.on('error', () => fail(new LiveVariantsError('request_aborted', 'The upload ended early.', 'body')));
    req.on('aborted', () =>
      fail(new LiveVariantsError('request_aborted', 'The upload ended early.', 'body')),
    );
  });
}

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function checkBytes(name: string, type: string, bytes: Buffer): void {
  if (bytes.length === 0) {
    throw new LiveVariantsError('invalid_body', 'The artifact is empty.', 'body');
  }
  const png = type === 'image/png' || name.toLowerCase().endsWith('.png');
  if (png && !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new LiveVariantsError('invalid_artifact', `${name} is not a PNG image.`, 'body');
  }
}

/** The session's latest generate: the request the uploaded screenshot illustrates. */
function latestGenerate(engine: SessionEngine, sessionId: string): GenerateRef | null {
  const records = engine.records(sessionId);
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r.type === 'browser.generate') return { seq: r.seq, eventId: r.eventId };
  }
  return null;
}

/** 409: the session completed, so its artifacts are gone and no new ones are kept. */
function refuseComplete(res: ServerResponse, sessionId: string, cors: Record<string, string>): void {
  const e = new LiveVariantsError(
    'session_complete',
    `Session ${sessionId} is complete; its artifacts are no longer kept.`,
    'sessionId',
  );
  sendError(res, e, { status: 409, headers: cors });
}

export const artifactRoute: Route = {
  method: 'POST',
  path: '/v1/artifacts',
  access: 'browser',
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx) {
    let bytes: Buffer;
    let sessionId: string;
    let name: string;
    let type: string;
    try {
      sessionId = validateSessionId(url.searchParams.get('sessionId') ?? '');
      name = validateArtifactName(url.searchParams.get('name') ?? '');
      type = contentTypeOf(req);
      if (!ARTIFACT_CONTENT_TYPES.includes(type)) {
        throw new LiveVariantsError(
          'unsupported_media_type',
          `Send the artifact as one of ${ARTIFACT_CONTENT_TYPES.join(', ')}.`,
          'body',
        );
      }
      // Artifacts live only as long as their session is incomplete.
      if (ctx.engine.isArchived(sessionId)) {
        drain(req);
        refuseComplete(res, sessionId, ctx.cors);
        return;
      }
      if (!ctx.engine.view(sessionId)) {
        throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
      }
      bytes = await readRawBody(req, BODY_LIMIT_ARTIFACT);
      checkBytes(name, type, bytes);
    } catch (e) {
      // Answer the refusal without leaving the client writing into a closed request.
      if (!req.readableEnded) drain(req);
      throw e;
    }
    const dir = ctx.engine.journalDir;
    const meta = {
      contentType: type,
      storedAt: new Date().toISOString(),
      generate: latestGenerate(ctx.engine, sessionId),
    };
    let failure: unknown;
    await storeArtifact(nodeJournalFs, dir, sessionId, name, bytes, meta).catch((e: unknown) => {
      failure = e;
    });
    // The session may have completed while the bytes arrived; its archive removed (or is removing) the folder.
    if (ctx.engine.isArchived(sessionId)) {
      await rm(artifactsDir(dir, sessionId), { recursive: true, force: true });
      refuseComplete(res, sessionId, ctx.cors);
      return;
    }
    if (failure !== undefined) throw failure;
    sendJson(res, 201, { sessionId, name, bytes: bytes.length }, ctx.cors);
  },
};
