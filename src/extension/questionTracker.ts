// Which pending questions still need a notification: each question is announced once per window, however
// many times the bridge lists it. Pure, so "one notification per question" is unit-tested.
import type { QuestionView } from '../core/agents';

export class QuestionTracker {
  private announced = new Set<string>();

  /**
   * Given the complete list of pending questions, returns the ones not announced yet (marking them
   * announced). Ids no longer pending are forgotten: an answered question never becomes pending again.
   */
  update(pending: readonly QuestionView[]): QuestionView[] {
    const fresh = pending.filter((q) => q.state === 'pending' && !this.announced.has(q.questionId));
    this.announced = new Set(pending.map((q) => q.questionId));
    return fresh;
  }

  has(questionId: string): boolean {
    return this.announced.has(questionId);
  }
}
