// One error shape for every layer: a stable machine-readable code, the field it is about (when there is
// one), and a sentence a person can act on. On the wire it becomes `{error, field, message}`.

export interface ErrorBody {
  error: string;
  field?: string;
  message: string;
}

export class LiveVariantsError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  /** Extra structured detail (candidates, findings…) that callers may show; never secrets. */
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: string, message: string, field?: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'LiveVariantsError';
    this.code = code;
    this.field = field;
    this.detail = detail;
  }

  toBody(): ErrorBody & Record<string, unknown> {
    const body: ErrorBody & Record<string, unknown> = { error: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.detail !== undefined) Object.assign(body, this.detail);
    return body;
  }
}

export function isLiveVariantsError(e: unknown): e is LiveVariantsError {
  return e instanceof LiveVariantsError;
}
