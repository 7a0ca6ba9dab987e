// The questions card and the "no agent" notice in real Chromium (src/browser/ui/questionsCard.ts,
// ui/agentNotice.ts): items keyed by question id survive pushes, answers go out once, refusals re-enable the
// item, and text from the network stays text.
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuestionsView } from '../../../src/browser/agentsModel';
import { launchChromium } from '../../e2e/browserHarness';

let browser: Browser;
let page: Page;
let bundle: string;

// Exposes one card and one notice on window.t; answers the card hands out are recorded in window.t.sent.
const ENTRY = `
import { QuestionsCard } from './src/browser/ui/questionsCard';
import { AgentNotice } from './src/browser/ui/agentNotice';
const host = document.createElement('div');
document.body.appendChild(host);
const sent = [];
const card = new QuestionsCard(host, { onAnswer: (id, value) => sent.push([id, value]) });
const notice = new AgentNotice(host);
window.t = { card, notice, sent };
`;

interface T {
  card: { update(v: QuestionsView): void };
  notice: { update(text: string | null): void };
  sent: [string, string][];
}

declare global {
  interface Window {
    t: T;
    pwned?: number;
  }
}

beforeAll(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'warning',
  });
  bundle = out.outputFiles[0].text;
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: bundle });
});

const item = (
  id: string,
  over: Partial<QuestionsView['items'][number]> = {},
): QuestionsView['items'][number] => ({
  questionId: id,
  asker: 'claude-code 01be asks · session a1b2c3d4',
  text: `Question ${id}?`,
  choices: ['warm', 'cool'],
  status: null,
  ...over,
});

const update = (v: QuestionsView) => page.evaluate((view) => window.t.card.update(view), v);
const sent = () => page.evaluate(() => window.t.sent);

describe('questions card', () => {
  it('is hidden with nothing to ask; shows who asks, the text and one button per choice', async () => {
    await update({ items: [], more: 0, flash: null });
    expect(await page.locator('.questions').isHidden()).toBe(true);
    await update({ items: [item('q1')], more: 2, flash: null });
    const q = page.locator('[data-question-id="q1"]');
    expect(await q.locator('.hint').first().textContent()).toBe('claude-code 01be asks · session a1b2c3d4');
    expect(await q.locator('.qtext').textContent()).toBe('Question q1?');
    expect(await q.locator('button').allTextContents()).toEqual(['warm', 'cool']);
    expect(await page.locator('.questions > .hint').textContent()).toBe('2 more questions waiting.');
    await q.locator('button[data-choice="cool"]').click();
    expect(await sent()).toEqual([['q1', 'cool']]);
  });

  it('keeps a half-typed answer across pushes, and drops an item once its question is no longer listed', async () => {
    await update({ items: [item('q1', { choices: null })], more: 0, flash: null });
    await page.locator('[data-question-id="q1"] input').fill('Keep the hea');
    await update({ items: [item('q0'), item('q1', { choices: null })], more: 0, flash: null });
    expect(
      await page
        .locator('[data-question-id]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-question-id'))),
    ).toEqual(['q0', 'q1']);
    expect(await page.locator('[data-question-id="q1"] input').inputValue()).toBe('Keep the hea');
    await update({ items: [item('q1', { choices: null })], more: 0, flash: null });
    expect(await page.locator('[data-question-id="q0"]').count()).toBe(0);
    expect(await page.locator('[data-question-id="q1"] input').inputValue()).toBe('Keep the hea');
  });

  it('sends a typed answer with Enter (trimmed), never an empty one', async () => {
    await update({ items: [item('q1', { choices: null })], more: 0, flash: null });
    const field = page.locator('[data-question-id="q1"] input');
    await field.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('  Keep the headline ');
    await page.keyboard.press('Enter');
    expect(await sent()).toEqual([['q1', 'Keep the headline']]);
  });

  it('locks the item while sending, marks the chosen answer, and unlocks it after a refusal with the reason', async () => {
    await update({
      items: [item('q1', { status: { state: 'sending', value: 'cool' } })],
      more: 0,
      flash: null,
    });
    const q = page.locator('[data-question-id="q1"]');
    expect(
      await q.locator('button').evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).disabled)),
    ).toEqual([true, true]);
    expect(await q.locator('.qstatus').textContent()).toBe('Sending…');
    expect(await q.locator('button[data-choice="cool"]').getAttribute('aria-pressed')).toBe('true');
    const message = 'value must be one of the question\u2019s choices';
    await update({
      items: [item('q1', { status: { state: 'refused', value: 'cool', message } })],
      more: 0,
      flash: null,
    });
    expect(
      await q.locator('button').evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).disabled)),
    ).toEqual([false, false]);
    expect(await q.locator('.qstatus').textContent()).toBe(message);
    expect(await q.getAttribute('data-state')).toBe('refused');
  });

  it('shows a refusal on its own when the question is gone', async () => {
    await update({ items: [], more: 0, flash: 'This question was already answered in VS Code: "warm".' });
    expect(await page.locator('.questions').isVisible()).toBe(true);
    expect(await page.locator('.questions [role="alert"]').textContent()).toBe(
      'This question was already answered in VS Code: "warm".',
    );
  });

  it('puts question text and choices in as text: markup from an agent is never parsed', async () => {
    const evil = '<img src=x onerror="window.pwned = 1">';
    await update({ items: [item('q1', { text: evil, choices: [evil, 'ok'] })], more: 0, flash: null });
    await page.waitForTimeout(50);
    expect(await page.locator('[data-question-id="q1"] .qtext').textContent()).toBe(evil);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
  });
});

describe('agent notice', () => {
  it('is shown with the text it is given and hidden with null', async () => {
    const notice = page.locator('.agent-notice');
    await page.evaluate(() =>
      window.t.notice.update('No agent is online — work is waiting (generate for session a1b2c3d4).'),
    );
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.locator('.notice-text').textContent()).toBe(
      'No agent is online — work is waiting (generate for session a1b2c3d4).',
    );
    expect(await notice.getAttribute('role')).toBe('status');
    await page.evaluate(() => window.t.notice.update(null));
    expect(await notice.isHidden()).toBe(true);
  });
});
