// Runs inside the VS Code that @vscode/test-electron starts (`run` is its documented entry point). Plain
// assertions, no test framework: the first failure rejects and the runner exits non-zero.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { acceptVariant } from '../../../src/core/rewrite/accept';
import { applyEdit } from '../../../src/core/rewrite/textEdit';

const SESSION = '5eed1234';

async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function run(): Promise<void> {
  const workspace = process.env.LIVE_VARIANTS_TEST_WORKSPACE;
  assert.ok(workspace, 'LIVE_VARIANTS_TEST_WORKSPACE is not set');
  const ext = vscode.extensions.getExtension('live-variants.live-variants');
  assert.ok(ext, 'the extension is not installed in the test instance');
  await ext.activate();
  await until('the bridge', () =>
    existsSync(join(workspace, '.live-variants', 'bridge.json')) ? true : undefined,
  );

  const uri = vscode.Uri.file(join(workspace, 'index.html'));
  const before = readFileSync(uri.fsPath, 'utf8');
  await vscode.window.showTextDocument(uri);
  const lenses = await until('CodeLens', async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    return found && found.length > 0 ? found : undefined;
  });
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    ['Accept 1', 'Accept 2', 'Accept 3', 'Discard', 'Show in preview'],
  );

  await vscode.commands.executeCommand('liveVariants.acceptVariant', {
    sessionId: SESSION,
    variant: '2',
    uri: uri.toString(),
  });
  const r = acceptVariant(before, { sessionId: SESSION, variant: 2, path: 'index.html' });
  assert.equal(r.status, 'applied');
  const expected = r.status === 'applied' ? applyEdit(before, r.edit) : '';
  await until('the accept on disk', () => (readFileSync(uri.fsPath, 'utf8') === expected ? true : undefined));

  await vscode.commands.executeCommand('liveVariants.showSessionStatus');
  const report = await until('the status report', () => {
    const doc = vscode.window.activeTextEditor?.document;
    return doc?.languageId === 'json'
      ? (JSON.parse(doc.getText()) as { sessions: { phase: string }[] })
      : undefined;
  });
  assert.equal(report.sessions[0]?.phase, 'accepted_source_pending');
}
