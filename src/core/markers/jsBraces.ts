// Skipping a JavaScript `{…}` expression (JSX attribute values, spreads) without parsing it.

/**
 * From `{` at `pos`, the offset just past its matching `}` in JavaScript: strings, template literals
 * (with nested `${}`) and comments are skipped. A string ends at its line break if unterminated, so one
 * stray apostrophe cannot swallow the file. Returns -1 when unbalanced before `limit`.
 */
export function skipBraces(text: string, pos: number, limit: number): number {
  // Stack of contexts: true = code inside braces, false = template literal body.
  const stack: boolean[] = [true];
  let i = pos + 1;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (!stack[stack.length - 1]) {
      if (c === 92) i += 2;
      else if (c === 96) {
        stack.pop();
        i++;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        stack.push(true);
        i += 2;
      } else i++;
      continue;
    }
    if (c === 123) {
      stack.push(true);
      i++;
    } else if (c === 125) {
      stack.pop();
      i++;
      if (stack.length === 0) return i;
    } else if (c === 34 || c === 39) {
      i++;
      while (i < limit) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10) break;
        else i++;
      }
    } else if (c === 96) {
      stack.push(false);
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 || nl > limit ? limit : nl;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1 || close + 2 > limit) return -1;
      i = close + 2;
    } else i++;
  }
  return -1;
}
