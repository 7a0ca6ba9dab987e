// Agents' questions as VS Code notifications: one per question, with the choices as buttons (a quick pick
// past four) or an input box for free text. Notifications cannot be closed by an extension, so one answered
// elsewhere stays until dismissed; a late click is harmless and is told which answer won.
import * as vscode from 'vscode';
import { MAX_ANSWER_CHARS } from '../../webview-ui/protocol';
import type { QuestionView } from '../core/agents';
import type { AgentActions } from './agentActions';
import { questionCard, questionPrompt } from './agentCards';
import type { AgentsSnapshot } from './agentsMonitor';
import { QuestionTracker } from './questionTracker';

/** More choices than this go into a quick pick: a toast with many buttons is unreadable. */
export const MAX_CHOICE_BUTTONS = 4;
const CHOOSE = 'Choose…';
const ANSWER = 'Answer…';

export class QuestionNotifier {
  private readonly tracker = new QuestionTracker();

  constructor(
    private readonly actions: AgentActions,
    private readonly snapshot: () => AgentsSnapshot,
  ) {}

  /** Every read of the pending questions: announces the new ones. */
  update(pending: readonly QuestionView[]): void {
    for (const q of this.tracker.update(pending)) void this.show(q);
  }

  private async show(q: QuestionView): Promise<void> {
    const names = new Map(this.snapshot().agents.map((a) => [a.agentId, a.name]));
    const card = questionCard(q, names);
    const prompt = questionPrompt(card);
    const choices = q.choices;
    const buttons = choices ? (choices.length <= MAX_CHOICE_BUTTONS ? choices : [CHOOSE]) : [ANSWER];
    const picked = await vscode.window.showInformationMessage(`Live Variants: ${prompt}`, ...buttons);
    if (picked === undefined) return;
    let value: string | undefined = picked;
    if (!choices) {
      if (!this.tracker.has(q.questionId)) {
        // Answered elsewhere while the toast waited: do not ask for text that cannot count.
        void vscode.window.showInformationMessage('Live Variants: that question was already answered.');
        return;
      }
      value = await vscode.window.showInputBox({
        title: `${card.agentName} asks`,
        prompt: q.text,
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.trim().length === 0
            ? 'Type an answer.'
            : v.length > MAX_ANSWER_CHARS
              ? `At most ${MAX_ANSWER_CHARS} characters.`
              : undefined,
      });
    } else if (choices.length > MAX_CHOICE_BUTTONS) {
      // The one button was "Choose…".
      value = await vscode.window.showQuickPick(choices, { title: prompt, ignoreFocusOut: true });
    }
    if (value === undefined) return;
    await this.actions.answer(q.questionId, value);
  }
}
