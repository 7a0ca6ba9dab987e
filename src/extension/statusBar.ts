// The status bar item: the current session's phase and what is owed, hidden while there is no session.
import * as vscode from 'vscode';
import type { LiveHost } from './liveHost';
import { statusBarModel } from './statusBarModel';

export const STATUS_ITEM_ID = 'liveVariants.status';

export function createStatusBar(host: LiveHost): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
  item.name = 'Live Variants';
  item.command = 'liveVariants.openSessions';
  const render = () => {
    const m = statusBarModel({
      role: host.role,
      roleDetail: host.roleDetail,
      report: host.report,
      recentlyCompleted: host.recentlyCompleted,
    });
    if (!m.visible) {
      item.hide();
      return;
    }
    item.text = m.text;
    const tooltip = new vscode.MarkdownString(m.tooltip);
    tooltip.supportThemeIcons = true;
    item.tooltip = tooltip;
    item.backgroundColor = m.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: m.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    item.show();
  };
  render();
  const sub = host.onDidChange(render);
  return vscode.Disposable.from(item, sub);
}
