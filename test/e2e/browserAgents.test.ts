// Agent questions and "no agent online" in the page's live UI, end to end: real Chromium, the real bridge
// process and the real `live-variants` CLI as the agent. The page learns of questions and presence over the
// socket; the user answers in the page; the blocked CLI gets the answer; a second answer is refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deriveQuestionId } from '../../src/core/agents';
import { buildArtifacts, cli, startTestBridge, stopBridge, type TestBridge } from './browserBridge';
import {
  bridgeRequest,
  launchChromium,
  lvState,
  prepareSite,
  type Site,
  startSite,
  UI,
  waitForState,
  waitText,
  waitUntil,
} from './browserHarness';

const ARTIFACTS = join(process.cwd(), 'test', 'e2e', 'artifacts');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let browser: Browser;
let root: string;
let bridge: TestBridge | undefined;
let site: Site | undefined;
let pages: Page[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildArtifacts();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const p of pages) await p.context().close();
  pages = [];
  await site?.close();
  site = undefined;
  await stopBridge(bridge);
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A workspace with the fixture site, a bridge (no agent has ever run) and the site server. */
async function setup(): Promise<void> {
  root = mkdtempSync(join(tmpdir(), 'lv-browser-agents-'));
  bridge = await startTestBridge(root);
  prepareSite(root, bridge.url);
  site = await startSite(root, { hot: ['index.html'] });
}

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  pages.push(page);
  await page.goto(`${site!.url}/index.html`);
  await waitForState(
    page,
    (s) => s.connection === 'online' && s.agents.agents !== null,
    'the socket and the agents frame',
  );
  return page;
}

/** The browser token the page's script gets (granted to the page's Origin). */
function browserToken(page: Page): Promise<string> {
  return page.evaluate(async (url) => {
    const res = await fetch(`${url}/v1/browser-token`, { method: 'POST' });
    return ((await res.json()) as { token: string }).token;
  }, bridge!.url);
}

/** A socket as a second tab would open it; resolves with the reply to one answer and what came before. */
function answerOverSocket(
  token: string,
  questionId: string,
  value: string,
): Promise<{ before: Record<string, unknown>[]; reply: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${bridge!.port}/v1/socket`,
      ['live-variants.v1', `token.${token}`],
      {
        origin: site!.url,
      },
    );
    const before: Record<string, unknown>[] = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if (msg.questionId === questionId) {
        ws.close();
        resolve({ before, reply: msg });
        return;
      }
      before.push(msg);
      if (before.length === 2) ws.send(JSON.stringify({ type: 'answer', questionId, value }));
    });
    ws.once('error', reject);
    setTimeout(() => reject(new Error('no reply to the answer')), 10_000);
  });
}

function questionRecords(): { type: string; data: Record<string, unknown> }[] {
  const path = join(root, '.live-variants', 'journal', 'questions', 'questions.jsonl');
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('browser page: agent questions and presence', () => {
  it('an `ask` answered from the browser page returns to the blocked CLI', async () => {
    await setup();
    const page = await openPage();
    const other = await openPage();
    const asking = cli(root, ['ask', 'Which palette?', '--choices', 'warm,cool', '--agent', 'e2e-asker']);
    const questionId = deriveQuestionId({
      agentId: 'e2e-asker',
      text: 'Which palette?',
      choices: ['warm', 'cool'],
    });

    const card = page.locator(`${UI} .questions`);
    const item = card.locator(`[data-question-id="${questionId}"]`);
    await waitText(item.locator('.qtext'), 'Which palette?');
    expect(await item.locator('.hint').first().textContent()).toBe('e2e-asker asks');
    expect(await item.locator('button[data-choice]').allTextContents()).toEqual(['warm', 'cool']);
    expect(await item.getAttribute('aria-label')).toBe('e2e-asker asks: Which palette?');
    await waitText(
      other.locator(`${UI} .questions [data-question-id="${questionId}"] .qtext`),
      'Which palette?',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'question-card.png') });

    await item.locator('button[data-choice="cool"]').click();
    const answered = await asking;
    expect(answered.code).toBe(0);
    expect(Object.keys(answered.json)).toEqual(['type', 'questionId', 'value', 'by', 'answeredAt']);
    expect(answered.json).toEqual({
      type: 'answer',
      questionId,
      value: 'cool',
      by: 'browser',
      answeredAt: expect.stringMatching(ISO),
    });
    expect(answered.stdout).toBe(`${JSON.stringify(answered.json)}\n`);
    const winner = { value: 'cool', by: 'browser', answeredAt: answered.json.answeredAt };

    // Gone everywhere: in this page and in the other tab.
    for (const p of [page, other]) {
      await waitUntil(
        () => p.locator(`${UI} .questions`).isHidden(),
        (h) => h,
        'the questions card to go',
      );
      expect((await lvState(p)).agents.questions).toEqual([]);
    }

    // A second answer — what a tab that still showed the card sends — is refused with the winning answer.
    const token = await browserToken(page);
    const second = await answerOverSocket(token, questionId, 'warm');
    expect(second.before).toEqual([
      { type: 'questions', questions: [], total: 0 },
      { type: 'agents', online: 1, idle: 0, waiting: [], waitingSessions: 0 },
    ]);
    expect(second.reply).toEqual({
      type: 'error',
      error: 'already_answered',
      field: 'questionId',
      message: 'This question was already answered in the browser: "cool".',
      questionId,
      answer: winner,
    });
    const overHttp = await bridgeRequest(
      { url: bridge!.url, token },
      'POST',
      `/v1/questions/${questionId}/answer`,
      {
        value: 'warm',
      },
    );
    expect(overHttp).toEqual({ status: 200, body: { accepted: false, questionId, answer: winner } });
    // The browser token answers; it does not ask (that is an agent's power).
    const ask = await bridgeRequest({ url: bridge!.url, token }, 'POST', '/v1/ask', {
      text: 'x',
      agentId: 'page',
    });
    expect(ask.status).toBe(401);

    // Journaled once, and an agent asking again gets the stored answer at once.
    expect(
      questionRecords().map((r) => [r.type, r.data.questionId, r.data.value ?? null, r.data.by ?? null]),
    ).toEqual([
      ['question.asked', questionId, null, null],
      ['question.answered', questionId, 'cool', 'browser'],
    ]);
    const again = await cli(
      root,
      ['ask', 'Which palette?', '--choices', 'warm,cool', '--agent', 'e2e-asker'],
      10_000,
    );
    expect(again.json).toEqual(answered.json);

    // A free-text question is answered from the keyboard: type, Enter.
    const notes = cli(root, ['ask', 'Anything to keep?', '--agent', 'e2e-asker']);
    const field = page.locator(`${UI} .questions input[aria-label="Your answer"]`);
    await waitUntil(
      () => field.isVisible(),
      (v) => v,
      'the answer field',
    );
    await field.focus();
    await page.keyboard.type('Keep the headline');
    await page.keyboard.press('Enter');
    const typed = await notes;
    expect(typed.code).toBe(0);
    expect(typed.json).toMatchObject({ type: 'answer', value: 'Keep the headline', by: 'browser' });
    await waitUntil(
      () => card.isHidden(),
      (h) => h,
      'the card to go after the typed answer',
    );
  });

  it('shows "no agent online, work waiting" after Go with no agent, and hides it once the real CLI poll runs', async () => {
    await setup();
    const page = await openPage();
    const notice = page.locator(`${UI} .agent-notice`);
    const s0 = await lvState(page);
    expect(s0.agents.agents).toEqual({ online: 0, idle: 0, waiting: [], waitingSessions: 0 });
    expect(await notice.isHidden()).toBe(true);

    await page.locator(`${UI} button[data-action="pick"]`).click();
    await page.locator('#hero h1').hover();
    await page.locator('#hero h1').click();
    await waitForState(page, (s) => s.asking, 'the ask panel');
    await page.locator(`${UI} .ask button.primary`).click();
    const { sessionId } = await waitForState(
      page,
      (s) => s.sessionId !== null && s.queued.length === 0,
      'the generate to be acked',
    );
    const text = `No agent is online — work is waiting (generate for session ${sessionId}).`;
    await waitText(notice.locator('.notice-text'), text);
    expect(await notice.getAttribute('role')).toBe('status');
    expect((await lvState(page)).agents.notice).toBe(text);
    await page.screenshot({ path: join(ARTIFACTS, 'agent-notice.png') });

    const work = await cli(root, ['poll', '--timeout', '10000', '--agent', 'e2e-agent']);
    expect(work.json).toMatchObject({ type: 'work', kind: 'generate', sessionId });
    await waitUntil(
      () => notice.isHidden(),
      (h) => h,
      'the notice to go once an agent polled',
    );
    const s1 = await lvState(page);
    expect(s1.agents.notice).toBeNull();
    expect(s1.agents.agents).toEqual({
      online: 1,
      idle: 0,
      waiting: [{ sessionId, kinds: ['generate'] }],
      waitingSessions: 1,
    });
  });
});
