import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, webviewHtml } from '../../../src/extension/webviewHtml';

describe('webviewHtml', () => {
  const page = webviewHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://r/dist/webview.js',
    styleUri: 'https://r/media/webview.css',
    nonce: 'n0nce',
  });

  it("allows scripts only with this load's nonce and resources only from the extension", () => {
    expect(contentSecurityPolicy('SRC', 'abc')).toBe(
      "default-src 'none'; style-src SRC; img-src SRC data:; font-src SRC; script-src 'nonce-abc'",
    );
    expect(page).toContain(
      `content="default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-n0nce'"`,
    );
  });

  it('loads exactly one script, carrying the nonce, and no inline code', () => {
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script nonce="n0nce" src="https://r/dist/webview.js"></script>');
    expect(page).not.toMatch(/<script[^>]*>[^<]/);
    expect(page).not.toMatch(/ on[a-z]+=/);
  });

  it('escapes what it puts in attributes', () => {
    const html = webviewHtml({ cspSource: 'x', scriptUri: 'a"b', styleUri: '<c>', nonce: 'n' });
    expect(html).toContain('src="a&quot;b"');
    expect(html).toContain('href="&lt;c>"');
  });

  it('makes a fresh unguessable nonce per load', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(newNonce()).not.toBe(a);
  });
});
