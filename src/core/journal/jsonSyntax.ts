// JSON syntax over raw UTF-8 bytes, without building any value: lets recovery check rule R2 (d) "the line
// parses as JSON" for the data of a record whose full decode it puts off until the record is read.
//
// It must never accept bytes that JSON.parse(buf.toString('utf8')) would refuse; the journal falls back to
// JSON.parse whenever it says no. It works on bytes because every byte that matters to JSON syntax is ASCII,
// and UTF-8 decoding (with U+FFFD for invalid sequences) never merges an ASCII byte into another character:
// any byte >= 0x80 inside a string is a character JSON.parse accepts, and outside a string it is an error.
// Iterative (an explicit stack), so deep nesting cannot overflow the call stack; JSON.parse has no depth
// limit either.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

/** The bytes that may follow a backslash in a JSON string (besides `u`): " \ / b f n r t. */
const SIMPLE_ESCAPES = new Uint8Array(128);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPES[c.charCodeAt(0)] = 1;

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
}

/** JSON whitespace: space, tab, line feed, carriage return. */
function skipWhitespace(buf: Uint8Array, i: number, limit: number): number {
  while (i < limit) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) break;
    i++;
  }
  return i;
}

/** `buf[i]` is a quote: the index just past the closing quote, or -1. */
export function jsonStringEnd(buf: Uint8Array, i: number, limit: number): number {
  i++;
  while (i < limit) {
    const b = buf[i];
    if (b === QUOTE) return i + 1;
    if (b === BACKSLASH) {
      if (i + 1 >= limit) return -1;
      const e = buf[i + 1];
      if (e === 0x75) {
        if (i + 6 > limit) return -1;
        if (!isHex(buf[i + 2]) || !isHex(buf[i + 3]) || !isHex(buf[i + 4]) || !isHex(buf[i + 5])) return -1;
        i += 6;
      } else if (e < 128 && SIMPLE_ESCAPES[e] === 1) {
        i += 2;
      } else {
        return -1;
      }
    } else if (b < 0x20) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

/** `buf[i]` is `-` or a digit: the index just past the number, or -1. */
function numberEnd(buf: Uint8Array, i: number, limit: number): number {
  if (buf[i] === MINUS) i++;
  if (i >= limit || !isDigit(buf[i])) return -1;
  if (buf[i] === 0x30) i++;
  else while (i < limit && isDigit(buf[i])) i++;
  if (i < limit && buf[i] === DOT) {
    i++;
    if (i >= limit || !isDigit(buf[i])) return -1;
    while (i < limit && isDigit(buf[i])) i++;
  }
  if (i < limit && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < limit && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    if (i >= limit || !isDigit(buf[i])) return -1;
    while (i < limit && isDigit(buf[i])) i++;
  }
  return i;
}

function literalEnd(buf: Uint8Array, i: number, limit: number, word: readonly number[]): number {
  if (i + word.length > limit) return -1;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return -1;
  return i + word.length;
}

/** At an object key (after whitespace): the index just past `"key" :` and its whitespace, or -1. */
function keyEnd(buf: Uint8Array, i: number, limit: number): number {
  if (i >= limit || buf[i] !== QUOTE) return -1;
  i = jsonStringEnd(buf, i, limit);
  if (i < 0) return -1;
  i = skipWhitespace(buf, i, limit);
  if (i >= limit || buf[i] !== COLON) return -1;
  return i + 1;
}

/**
 * Whether `buf[start, end)` is exactly one JSON value (whitespace allowed around it), by the grammar of
 * RFC 8259 as JSON.parse applies it. Reads no byte outside the range.
 */
export function isJsonText(buf: Uint8Array, start: number, end: number): boolean {
  const containers: number[] = [];
  let i = start;
  for (;;) {
    // A value is expected at i.
    i = skipWhitespace(buf, i, end);
    if (i >= end) return false;
    const b = buf[i];
    if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      const close = b === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i = skipWhitespace(buf, i + 1, end);
      if (i < end && buf[i] === close) {
        i++;
      } else {
        containers.push(b === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY);
        if (b === OPEN_OBJECT) {
          i = keyEnd(buf, i, end);
          if (i < 0) return false;
        }
        continue;
      }
    } else if (b === QUOTE) {
      i = jsonStringEnd(buf, i, end);
    } else if (b === MINUS || isDigit(b)) {
      i = numberEnd(buf, i, end);
    } else if (b === TRUE[0]) {
      i = literalEnd(buf, i, end, TRUE);
    } else if (b === FALSE[0]) {
      i = literalEnd(buf, i, end, FALSE);
    } else if (b === NULL[0]) {
      i = literalEnd(buf, i, end, NULL);
    } else {
      return false;
    }
    if (i < 0) return false;
    // A value just ended: close containers until one continues with a comma.
    for (;;) {
      i = skipWhitespace(buf, i, end);
      if (containers.length === 0) return i === end;
      if (i >= end) return false;
      const c = buf[i];
      const inside = containers[containers.length - 1];
      if (c === COMMA) {
        i++;
        if (inside === IN_OBJECT) {
          i = keyEnd(buf, skipWhitespace(buf, i, end), end);
          if (i < 0) return false;
        }
        break;
      }
      if ((inside === IN_OBJECT && c === CLOSE_OBJECT) || (inside === IN_ARRAY && c === CLOSE_ARRAY)) {
        containers.pop();
        i++;
        continue;
      }
      return false;
    }
  }
}
