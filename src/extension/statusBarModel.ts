// What the status bar item shows, as data: text with a codicon, a Markdown tooltip with the next action,
// and whether it wears the warning colours. Pure, so every phase's wording is tested without VS Code.
import type { StatusReport } from '../core/status';
import { actionTitle, currentSession, PHASE_ICON, phaseLabel, workOwedUnattended } from './sessionLabels';

export type HostRole = 'dormant' | 'starting' | 'leader' | 'follower' | 'waiting' | 'failed';

export interface StatusBarInput {
  role: HostRole;
  roleDetail: string;
  report: StatusReport | undefined;
  /** A session that completed a short while ago in this window; shown while nothing else is active. */
  recentlyCompleted: string | undefined;
}

export interface StatusBarModel {
  visible: boolean;
  text: string;
  tooltip: string;
  warning: boolean;
}

const HIDDEN: StatusBarModel = { visible: false, text: '', tooltip: '', warning: false };

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function statusBarModel(input: StatusBarInput): StatusBarModel {
  if (input.role === 'failed') {
    return {
      visible: true,
      text: '$(error) Live: journal error',
      tooltip: `**Live Variants** could not open its journal: ${escapeMd(input.roleDetail)}\n\nSee the *Live Variants* output for details.`,
      warning: true,
    };
  }
  if (input.role === 'waiting') {
    return {
      visible: true,
      text: '$(lock) Live: waiting for journal',
      tooltip: `**Live Variants**: ${escapeMd(input.roleDetail)}`,
      warning: false,
    };
  }
  const report = input.report;
  const session = currentSession(report);
  if (!report || !session) {
    if (input.recentlyCompleted === undefined) return HIDDEN;
    return {
      visible: true,
      text: '$(pass) Live: complete',
      tooltip: `**Live Variants**: session \`${input.recentlyCompleted}\` is complete.`,
      warning: false,
    };
  }
  const others = report.sessions.length - 1;
  const icon = PHASE_ICON[session.phase] ?? 'circle-outline';
  const text = `$(${icon}) Live: ${phaseLabel(session)}${others > 0 ? ` +${others}` : ''}`;
  const next = session.nextAction;
  const lines = [
    `**Live Variants** — session \`${session.sessionId}\`${session.file ? ` in \`${session.file}\`` : ''}`,
    '',
    `**Next:** ${escapeMd(actionTitle(next.action))} (\`${next.action}\`)`,
    '',
    escapeMd(next.reason),
  ];
  if (next.command) lines.push('', `\`${next.command}\``);
  if (input.role === 'follower')
    lines.push('', '_Another window owns this journal; this one forwards to it._');
  lines.push('', 'Click to open Live Sessions.');
  return {
    visible: true,
    text,
    tooltip: lines.join('\n'),
    warning: workOwedUnattended(session, report.bridge.agentsOnline),
  };
}
