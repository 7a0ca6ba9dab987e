// HTTP client for the bridge's agent routes (docs/bridge-routes.md). Every failure becomes a LiveVariantsError:
// the bridge's own `{error, field, message}` body when it answered, `bridge_unreachable` when nothing listens,
// `bridge_timeout` when it did not answer in time. The token travels only in the Authorization header.

import { LiveVariantsError } from '../core/errors';
import type { BridgeEndpoint } from './connection';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** A long-poll may legitimately take its whole timeout; the HTTP request waits this much longer. */
export const POLL_GRACE_MS = 10_000;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  timeoutMs?: number;
}

function errnoOfCause(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (typeof cause === 'object' && cause !== null && 'code' in cause) return String(cause.code);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class BridgeClient {
  constructor(
    readonly endpoint: BridgeEndpoint,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  get url(): string {
    return this.endpoint.url;
  }

  async get<T = Record<string, unknown>>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  async post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    opts: RequestOptions = {},
  ): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body });
  }

  async request<T>(method: 'GET' | 'POST', path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(this.endpoint.url + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.endpoint.token}`,
      accept: 'application/json',
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url.toString(), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      throw this.transportError(err, timeoutMs);
    }
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new LiveVariantsError(
        'bad_response',
        `The bridge at ${this.endpoint.url} answered ${method} ${path} with HTTP ${response.status} and a body that is not JSON.`,
      );
    }
    if (!response.ok) {
      if (isRecord(body) && typeof body.error === 'string') {
        const { error, field, message, ...detail } = body;
        throw new LiveVariantsError(
          error,
          typeof message === 'string'
            ? message
            : `The bridge refused ${method} ${path} (HTTP ${response.status}).`,
          typeof field === 'string' ? field : undefined,
          { ...detail, status: response.status },
        );
      }
      throw new LiveVariantsError(
        'bad_response',
        `The bridge answered ${method} ${path} with HTTP ${response.status}.`,
        undefined,
        { status: response.status },
      );
    }
    if (!isRecord(body)) {
      throw new LiveVariantsError(
        'bad_response',
        `The bridge answered ${method} ${path} with a non-object body.`,
      );
    }
    return body as T;
  }

  private transportError(err: unknown, timeoutMs: number): LiveVariantsError {
    const name = (err as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new LiveVariantsError(
        'bridge_timeout',
        `The bridge at ${this.endpoint.url} did not answer within ${timeoutMs} ms.`,
        undefined,
        { url: this.endpoint.url },
      );
    }
    const code = errnoOfCause(err);
    return new LiveVariantsError(
      'bridge_unreachable',
      `No bridge answers at ${this.endpoint.url}${code ? ` (${code})` : ''}. Start one with \`live-variants serve\` or open the folder in VS Code.`,
      undefined,
      { url: this.endpoint.url },
    );
  }
}
