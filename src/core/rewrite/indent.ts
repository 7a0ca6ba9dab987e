// Indentation and line breaks: detect the file's habits, and move a block of lines from one base
// indentation to another without touching lines that do not share it (so wrap → discard is exact).

/** The file's dominant line break. */
export function detectEol(text: string): '\r\n' | '\n' {
  let crlf = 0;
  let lf = 0;
  let i = text.indexOf('\n');
  while (i !== -1) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
    i = text.indexOf('\n', i + 1);
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** One level of indentation in this file: a tab when most indented lines start with one, else N spaces. */
export function detectIndentUnit(text: string): string {
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  let prev = 0;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    let i = start;
    while (i < nl && text.charCodeAt(i) === 32) i++;
    const width = i - start;
    const c = text.charCodeAt(i);
    if (i < nl && c !== 13) {
      if (c === 9) tabs++;
      else if (width > 0) {
        spaces++;
        const d = width - prev;
        if (d > 0 && d <= 8) deltas.set(d, (deltas.get(d) ?? 0) + 1);
      }
      if (c !== 9) prev = width;
    }
    start = nl + 1;
  }
  if (tabs > spaces) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [d, n] of deltas) {
    if (n > bestCount || (n === bestCount && d < best)) {
      best = d;
      bestCount = n;
    }
  }
  return ' '.repeat(best);
}

function body(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function leadingWhitespace(s: string): string {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return s.slice(0, i);
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return a.slice(0, i);
}

/**
 * Lines moved from base indentation `lead` to `to`: a line that starts with `lead` gets `to` instead;
 * any other line (blank, or shallower than `lead`) stays byte for byte.
 */
function rebaseLines(lines: string[], lead: string, to: string): string[] {
  return lines.map((l) => (body(l) !== '' && l.startsWith(lead) ? to + l.slice(lead.length) : l));
}

/**
 * The content of a container element, re-based for where it lands: its first line without indentation
 * (it goes where the container started), the others moved from the first line's indentation to `to`.
 * Leading and trailing blank lines (the rest of the opening tag's line, the indentation before the
 * closing tag) are dropped; inline content is trimmed.
 */
export function rebaseContent(inner: string, to: string): string {
  if (!inner.includes('\n')) return inner.trim();
  const lines = inner.split('\n');
  let a = 0;
  while (a < lines.length && body(lines[a]).trim() === '') a++;
  let b = lines.length - 1;
  while (b >= a && body(lines[b]).trim() === '') b--;
  if (a > b) return '';
  let lead: string;
  let first: string;
  if (a === 0) {
    // Content starts on the opening tag's line: take the base from the lines below it.
    first = body(lines[0]).trimStart();
    let common: string | null = null;
    for (let i = 1; i <= b; i++) {
      const bl = body(lines[i]);
      if (bl.trim() === '') continue;
      const ws = leadingWhitespace(bl);
      common = common === null ? ws : commonPrefix(common, ws);
    }
    lead = common ?? '';
  } else {
    lead = leadingWhitespace(body(lines[a]));
    first = lines[a].slice(lead.length);
  }
  const rest = rebaseLines(lines.slice(a + 1, b + 1), lead, to);
  const out = [first, ...rest];
  out[out.length - 1] = body(out[out.length - 1]);
  if (b === lines.length - 1) out[out.length - 1] = out[out.length - 1].trimEnd();
  return out.join('\n');
}

/**
 * An element's own text re-based: the first line as is (it starts at the element), the following
 * lines moved from `lead` (the indentation of the element's line) to `to`.
 */
export function rebaseElement(element: string, lead: string, to: string): string {
  const lines = element.split('\n');
  return [lines[0], ...rebaseLines(lines.slice(1), lead, to)].join('\n');
}

/** Prefixes the first line with `indent` unless it is empty. */
export function indentFirst(s: string, indent: string): string {
  return s === '' ? s : indent + s;
}
