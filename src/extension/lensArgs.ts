// Arguments of the session commands (from a CodeLens, the Live Sessions view, or any other caller: commands
// can be run by anyone with anything, so they are checked, never trusted).

export interface LensArgs {
  sessionId: string;
  /** "1" … "999". */
  variant?: string;
  /** The document the lens was in. */
  uri?: string;
}

/** Arguments from a lens, the view or another extension: checked, never trusted. */
export function parseLensArgs(raw: unknown): LensArgs | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.sessionId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.sessionId)) return undefined;
  const args: LensArgs = { sessionId: o.sessionId };
  if (typeof o.variant === 'string' && /^[1-9][0-9]{0,2}$/.test(o.variant)) args.variant = o.variant;
  if (typeof o.uri === 'string' && o.uri.length < 8192) args.uri = o.uri;
  return args;
}
