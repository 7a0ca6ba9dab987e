// `.gitignore`-style exclude patterns for the workspace scan: `#` comments, `!` negation, a trailing
// `/` for directories only, a `/` elsewhere anchoring to the root, `*`, `?`, `[…]` and `**`. The last
// matching pattern wins, as in git.

export interface IgnoreMatcher {
  /** `relPath` uses `/` separators and is relative to the scan root. */
  ignores(relPath: string, isDir: boolean): boolean;
}

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function globToRe(glob: string): string {
  let re = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more directories; a final `**` matches everything below.
          if (i + 2 === glob.length) re += '.*';
          else re += '(?:[^/]*/)*';
          i += i + 2 === glob.length ? 2 : 3;
          continue;
        }
      }
      re += '[^/]*';
      while (glob[i] === '*') i++;
      continue;
    }
    if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close + 1;
        continue;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[i + 1]);
      i += 2;
      continue;
    } else re += escapeRe(c);
    i++;
  }
  return re;
}

function compileRule(line: string): Rule | null {
  let p = line.replace(/(?<!\\)\s+$/, '');
  if (p === '' || p.startsWith('#')) return null;
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) p = p.slice(1);
  let dirOnly = false;
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return null;
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const body = globToRe(p);
  return { re: new RegExp(`^${anchored ? '' : '(?:[^/]*/)*'}${body}$`), negate, dirOnly };
}

export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const rules: Rule[] = [];
  for (const raw of patterns) {
    for (const line of String(raw).split(/\r?\n/)) {
      const rule = compileRule(line);
      if (rule !== null) rules.push(rule);
    }
  }
  return {
    ignores(relPath, isDir) {
      let ignored = false;
      for (const r of rules) {
        if (r.dirOnly && !isDir) continue;
        if (r.re.test(relPath)) ignored = !r.negate;
      }
      return ignored;
    },
  };
}
