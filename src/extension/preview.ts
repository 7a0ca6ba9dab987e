// Opening the previewed page in VS Code's Simple Browser. The URL is the page a session was picked on (from
// its generate event), else `liveVariants.preview.url`, else asked for. Every URL handed to a browser goes
// through `asExternalUri`, so a remote workspace's localhost is forwarded to where the browser runs.
import * as vscode from 'vscode';
import type { LiveBackend } from './backend';
import { SETTINGS_SECTION } from './settings';

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The page URL recorded by the session's generate event, when there is one. */
export async function sessionPageUrl(
  backend: LiveBackend | undefined,
  sessionId: string,
): Promise<string | undefined> {
  if (!backend) return undefined;
  const page = await backend.timeline(sessionId, 0, 200);
  for (const r of page.records) {
    if (r.type !== 'browser.generate') continue;
    const el = r.data.element as { pageUrl?: unknown } | undefined;
    if (typeof el?.pageUrl === 'string' && isHttpUrl(el.pageUrl)) return el.pageUrl;
  }
  return undefined;
}

export async function askPreviewUrl(current: string): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Live Variants: preview URL',
    prompt: 'The page to preview (your dev server). Saved as liveVariants.preview.url for this workspace.',
    value: current || 'http://localhost:5173/',
    validateInput: (v) => (isHttpUrl(v.trim()) ? undefined : 'Enter an http(s) URL'),
  });
  if (!url) return undefined;
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('preview.url', url.trim(), vscode.ConfigurationTarget.Workspace);
  return url.trim();
}

/** Shows `url` in the Simple Browser (a system browser when it is not available). */
export async function showPreview(url: string): Promise<void> {
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
  try {
    await vscode.commands.executeCommand('simpleBrowser.show', external.toString(true));
  } catch {
    await vscode.env.openExternal(external);
  }
}
