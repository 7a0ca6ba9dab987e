// Newline-delimited JSON from a stream that arrives in arbitrary chunks (the bridge's log `follow=1` route).
// A record split across chunks is kept until its newline arrives; a line that is not JSON is skipped; a
// line longer than `maxLine` is dropped whole (memory stays bounded whatever the other end sends).

export class NdjsonSplitter {
  private rest = '';
  /** Inside an over-long line: drop text until its newline. */
  private skipping = false;

  constructor(private readonly maxLine = 1 << 20) {}

  /** The complete records in `chunk` (with what was left over before it), parsed. */
  push(chunk: string): unknown[] {
    const out: unknown[] = [];
    let text = this.rest + chunk;
    this.rest = '';
    for (;;) {
      const nl = text.indexOf('\n');
      if (nl < 0) break;
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (line.trim() === '' || line.length > this.maxLine) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // Not JSON: a proxy's or a newer bridge's line this reader does not know.
      }
    }
    if (this.skipping) return out;
    if (text.length > this.maxLine) this.skipping = true;
    else this.rest = text;
    return out;
  }
}
