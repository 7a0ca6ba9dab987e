// Which files carry markers, and in which comment syntax. The extension decides what rewrites write;
// the scanner itself recognises both layouts wherever it finds them.
import type { Flavour, Language } from './types';

const BUILT_IN: Readonly<Record<string, Flavour>> = {
  '.html': 'html',
  '.htm': 'html',
  '.vue': 'html',
  '.astro': 'html',
  '.svelte': 'html',
  '.jsx': 'jsx',
  '.tsx': 'jsx',
};

/** Extensions whose markup text treats `{…}` as an expression. */
const BRACE_EXPRESSIONS = new Set(['.jsx', '.tsx', '.svelte', '.astro']);

/**
 * Extra extensions from configuration: a list (each read as HTML-like) or a map to a flavour,
 * e.g. `[".php"]` or `{ ".mdx": "jsx" }`.
 */
export type ExtraExtensions = readonly string[] | Readonly<Record<string, Flavour>>;

export const BUILT_IN_EXTENSIONS: readonly string[] = Object.keys(BUILT_IN);

function normaliseExt(ext: string): string {
  const lower = ext.trim().toLowerCase();
  return lower.startsWith('.') ? lower : `.${lower}`;
}

/** The extension → flavour table in force for a configuration. */
export function extensionTable(extra?: ExtraExtensions): Map<string, Flavour> {
  const table = new Map<string, Flavour>(Object.entries(BUILT_IN));
  if (extra === undefined) return table;
  if (Array.isArray(extra)) {
    for (const ext of extra as readonly string[]) {
      if (typeof ext === 'string' && ext.trim() !== '') table.set(normaliseExt(ext), 'html');
    }
  } else {
    for (const [ext, flavour] of Object.entries(extra as Readonly<Record<string, Flavour>>)) {
      if (flavour === 'html' || flavour === 'jsx') table.set(normaliseExt(ext), flavour);
    }
  }
  return table;
}

export function extensionOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return '';
  return path.slice(dot).toLowerCase();
}

export function languageForExt(ext: string, flavour: Flavour): Language {
  const e = normaliseExt(ext);
  return { ext: e, flavour, braceExpressions: flavour === 'jsx' || BRACE_EXPRESSIONS.has(e) };
}

/** The language of a path, or null when files with its extension never carry markers. */
export function languageForPath(path: string, extraExts?: ExtraExtensions): Language | null {
  const ext = extensionOf(path);
  const flavour = extensionTable(extraExts).get(ext);
  return flavour === undefined ? null : languageForExt(ext, flavour);
}

export const DEFAULT_LANGUAGE: Language = languageForExt('.html', 'html');
