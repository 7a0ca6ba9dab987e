// The Live Sessions view's page: a strict Content Security Policy (no inline code, scripts only with this
// load's nonce, resources only from the extension), the bundled script and the theme-aware stylesheet.
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The stylesheet esbuild emits beside the script for the CSS it imports (dist/webview.css). */
  bundleStyleUri?: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}">
${
  page.bundleStyleUri
    ? `<link rel="stylesheet" href="${attr(page.bundleStyleUri)}">
`
    : ''
}<title>Live Sessions</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}
