// The preview client's composition root: it owns the page's session, turns UI actions into protocol events,
// folds the bridge's state pushes in, and keeps the page's variant block showing what the user chose.
// Durable truth is the bridge's; this only remembers what is on its way there (the outbox) and what the page
// shows, so a reload, a dropped socket or a restarted bridge loses nothing.
import { sessionAfterAck, sessionAfterRefusal } from './acks';
import { AgentsPanel } from './agentsPanel';
import { type Ask, AskFlow } from './askFlow';
import { barViewOf } from './barView';
import { CheckpointScheduler } from './checkpoints';
import { BridgeConnection } from './connection';
import { describeElement } from './elementContext';
import { newEventId, newOwnerId, newSessionId } from './ids';
import { isEditableTarget, keyIntent } from './keys';
import { paramsFor } from './knobValues';
import { Outbox, safeStore } from './outbox';
import { PageVariants } from './pageVariants';
import { acceptEvent, discardEvent, generateEvent, sessionForRequest, sessionFromServer } from './requests';
import { ScreenshotUpload } from './screenshotUpload';
import {
  adoptServerState,
  canDecide,
  canDiscard,
  isChoosing,
  type LocalSession,
  readStoredSession,
  type Stage,
  stageOf,
  writeStoredSession,
} from './sessionModel';
import { type ClientSnapshot, Metrics, snapshotOf } from './snapshot';
import type { EventAck, EventRefusal, OutgoingEvent, Params, ParamValue, SessionState } from './types';
import { Launcher } from './ui/launcher';
import { createUiRoot, type UiRoot } from './ui/root';
import { SessionBar } from './ui/sessionBar';
import { knobsOf, sessionsInPage } from './variantsDom';

/** How long the confirmation stays before the UI returns to rest. */
const DONE_LINGER_MS = 6000;

const FINAL_PHASES = ['complete', 'accepted_source_pending'];

export class LiveClient {
  private readonly store = safeStore(() => window.localStorage);
  private readonly outbox = new Outbox(this.store);
  private readonly owner = newOwnerId();
  private readonly conn: BridgeConnection;
  private readonly ui: UiRoot;
  private readonly askFlow: AskFlow;
  private readonly page: PageVariants;
  private readonly bar: SessionBar;
  private readonly launcher: Launcher;
  private readonly agents: AgentsPanel;
  private readonly metrics = new Metrics();
  private session: LocalSession | null = null;
  /** undefined: not heard from the bridge yet; null: the bridge does not know the session. */
  private server: SessionState | null | undefined = undefined;
  private scheduler: CheckpointScheduler | null = null;
  /** Knob values per variant, so cycling away and back keeps what the user set. */
  private readonly paramsByVariant = new Map<string, Params>();
  private message: string | null = null;
  private finished = false;
  private doneTimer: ReturnType<typeof setTimeout> | undefined;
  /** Sessions found as blocks in the page, subscribed to learn whether they are live. */
  private readonly candidates = new Set<string>();
  private readonly screenshot: ScreenshotUpload;

  constructor(
    private readonly doc: Document,
    origin: string,
  ) {
    this.ui = createUiRoot(doc);
    this.askFlow = new AskFlow(
      doc,
      this.ui,
      (ask) => this.go(ask),
      () => this.render(),
    );
    this.bar = new SessionBar(this.ui.layer, {
      onShow: (v) => this.show(v),
      onStep: (d) => this.step(d),
      onParam: (id, value) => this.setParam(id, value),
      onAccept: () => this.accept(),
      onDiscard: () => this.discard(),
      onClose: () => this.reset(),
    });
    this.launcher = new Launcher(this.ui.layer, () => {
      if (!this.session) this.askFlow.start();
    });
    this.agents = new AgentsPanel(
      this.ui.layer,
      (id, value) => this.conn.answer(id, value),
      () => this.session?.sessionId ?? null,
    );
    this.conn = new BridgeConnection(origin, this.outbox, {
      onQuestions: (m) => this.agents.onQuestions(m),
      onAgents: (m) => this.agents.onAgents(m),
      onAnswerReply: (r) => this.agents.settle(r),
      onState: (id, s) => this.onState(id, s),
      onAck: (ack, e) => this.onAck(ack, e),
      onRefused: (r, e) => this.onRefused(r, e),
      onStatus: () => this.render(),
      belief: (id) =>
        this.session?.sessionId === id
          ? {
              variant: this.session.visible,
              params: this.session.params,
              revision: this.scheduler?.lastRevision ?? 0,
            }
          : undefined,
    });
    this.screenshot = new ScreenshotUpload(
      (id, name, bytes) => this.conn.uploadArtifact(id, name, bytes),
      (message) => {
        this.message = message;
        this.render();
      },
    );
    this.page = new PageVariants({
      doc,
      current: () => this.session,
      fetchSource: (path) => this.conn.fetchSource(path),
      onMounted: () => this.syncDom(),
      onError: (m) => {
        this.message = m;
        this.render();
      },
    });
  }

  start(): void {
    const stored = readStoredSession(this.store);
    if (stored) this.adopt(stored);
    // Without storage the page's own markup says which sessions it shows; the bridge says which are live.
    else for (const id of sessionsInPage(this.doc)) this.watchCandidate(id);
    new MutationObserver(() => {
      this.ui.ensureAttached();
      if (this.session) this.syncDom();
    }).observe(this.doc.documentElement, { childList: true, subtree: true });
    this.doc.addEventListener('keydown', (e) => this.onKey(e), { capture: true });
    this.conn.start();
    this.syncDom();
  }

  snapshot(): ClientSnapshot {
    const ids = this.page.ids();
    return snapshotOf({
      session: this.session,
      server: this.server,
      stage: this.session ? this.stage() : null,
      connection: this.conn.status,
      owner: this.owner,
      revision: this.scheduler?.lastRevision ?? 0,
      variantsInPage: ids,
      canDecide: canDecide(this.server, ids.length),
      queued: this.outbox.list(),
      picking: this.askFlow.picking,
      asking: this.askFlow.asking,
      picked: this.askFlow.pickedLabel,
      message: this.message,
      artifact: this.screenshot.state,
      agents: this.agents.snapshot(),
    });
  }

  metricsSnapshot(): Record<string, number | null> {
    return this.metrics.snapshot();
  }

  // ------------------------------------------------------------------------------------- session

  private adopt(session: LocalSession): void {
    this.session = session;
    this.server = undefined;
    this.finished = false;
    this.message = null;
    this.page.reset();
    this.paramsByVariant.clear();
    if (session.visible) this.paramsByVariant.set(session.visible, session.params);
    this.scheduler?.dispose();
    this.scheduler = new CheckpointScheduler(session.sessionId, this.owner, (e) => this.conn.send(e), {
      now: () => performance.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    // Revisions continue above this owner's checkpoints still queued from before a reload.
    for (const e of this.outbox.forSession(session.sessionId)) {
      if (e.type === 'checkpoint' && e.owner === this.owner) this.scheduler.raiseRevision(e.revision);
    }
    this.conn.subscribe(session.sessionId);
  }

  private watchCandidate(id: string): void {
    this.candidates.add(id);
    this.conn.subscribe(id);
  }

  private persist(): void {
    if (this.session && !this.finished) writeStoredSession(this.store, this.session);
  }

  private queued(type: OutgoingEvent['type']): boolean {
    const id = this.session?.sessionId;
    return id !== undefined && this.outbox.forSession(id).some((e) => e.type === type);
  }

  private stage(): Stage {
    if (!this.session) return 'gone';
    return stageOf({
      local: this.session,
      server: this.server,
      generateQueued: this.queued('generate'),
      variantsInPage: this.page.ids().length,
    });
  }

  private onState(id: string, state: SessionState | null): void {
    if (this.candidates.delete(id) && !this.session && state && state.phase !== 'complete') {
      this.adopt(sessionFromServer(state));
    }
    if (!this.session || this.session.sessionId !== id) {
      this.conn.unsubscribe(id);
      return;
    }
    // An HTTP fetch can answer after a newer socket push: never step back (a completed session has seq 0).
    if (state && this.server && state.lastSeq < this.server.lastSeq && state.phase !== 'complete') return;
    this.server = state;
    if (state) {
      const localAhead = (this.scheduler?.hasPending() ?? false) || this.queued('checkpoint');
      this.session = adoptServerState(this.session, state, { localAhead });
      const mine = state.checkpoints.find((c) => c.owner === this.owner);
      if (mine) this.scheduler?.raiseRevision(mine.revision);
      if (!localAhead && state.visibleVariant !== null) {
        this.paramsByVariant.set(state.visibleVariant, this.session.params);
        this.scheduler?.markKnown(state.visibleVariant, this.session.params);
      }
      this.scheduler?.setEnabled(isChoosing(state.phase) && this.session.decision === null);
      if (FINAL_PHASES.includes(state.phase)) this.finish();
    } else if (!this.queued('generate')) {
      writeStoredSession(this.store, null);
    }
    this.persist();
    this.syncDom();
  }

  /** The source holds the user's decision: forget the local session (after showing the confirmation). */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.metrics.mark('doneAt');
    writeStoredSession(this.store, null);
    this.scheduler?.dispose();
    clearTimeout(this.doneTimer);
    this.doneTimer = setTimeout(() => this.reset(), DONE_LINGER_MS);
  }

  /** Back to rest. A session the bridge still holds as live cannot be closed here: Accept or Discard it. */
  private reset(): void {
    const live = this.server && !FINAL_PHASES.includes(this.server.phase);
    if (live && !this.finished) return;
    clearTimeout(this.doneTimer);
    if (this.session) {
      this.conn.unsubscribe(this.session.sessionId);
      if (!this.finished) writeStoredSession(this.store, null);
    }
    this.scheduler?.dispose();
    this.scheduler = null;
    this.session = null;
    this.server = undefined;
    this.page.reset();
    this.message = null;
    this.finished = false;
    this.render();
  }

  private onAck(ack: EventAck, event: OutgoingEvent | undefined): void {
    const s = this.session;
    if (!s || ack.sessionId !== s.sessionId) return;
    if (event?.type === 'generate') {
      this.metrics.mark('generateAckAt');
      this.screenshot.sessionDurable(s.sessionId);
    }
    const outcome = sessionAfterAck(s, this.server, ack, event);
    this.session = outcome.session;
    if (outcome.message) this.message = outcome.message;
    if (outcome.decisionAcked) {
      this.metrics.mark('decisionAckAt');
      this.persist();
    }
    this.render();
  }

  private onRefused(refusal: EventRefusal, event: OutgoingEvent | undefined): void {
    if (!this.session) return;
    const outcome = sessionAfterRefusal(this.session, refusal, event);
    this.session = outcome.session;
    this.message = outcome.message;
    if (outcome.forget) {
      writeStoredSession(this.store, null);
      this.server = null;
    } else this.persist();
    this.render();
  }

  // ------------------------------------------------------------------------------------------ Go

  private go(ask: Ask): void {
    if (this.session) return;
    const { request, target, annotations } = ask;
    const sessionId = newSessionId();
    const element = describeElement(target);
    this.metrics.reset();
    this.metrics.mark('goAt');
    this.screenshot.capture(sessionId, target, annotations);
    this.adopt(sessionForRequest(sessionId, request, element));
    this.persist();
    const eventId = newEventId('gen', sessionId);
    this.conn.send(generateEvent({ sessionId, eventId, owner: this.owner, request, element, annotations }));
    this.render();
  }

  // ------------------------------------------------------------------------------------- cycling

  private show(variant: string): void {
    const s = this.session;
    const el = this.page.element(variant);
    if (!s || !el || this.stage() !== 'cycling') return;
    s.visible = variant;
    s.params = paramsFor(knobsOf(el), this.paramsByVariant.get(variant));
    this.changed(s);
  }

  private step(delta: number): void {
    const ids = this.page.ids();
    if (ids.length === 0) return;
    const i = this.session?.visible ? ids.indexOf(this.session.visible) : -1;
    this.show(ids[(((i + delta) % ids.length) + ids.length) % ids.length]);
  }

  private setParam(id: string, value: ParamValue): void {
    const s = this.session;
    const el = this.page.element(s?.visible ?? null);
    if (!s || !el || this.stage() !== 'cycling') return;
    s.params = paramsFor(knobsOf(el), { ...s.params, [id]: value });
    this.changed(s);
  }

  /** The visible variant or a knob changed here: show it, remember it, checkpoint it. */
  private changed(s: LocalSession): void {
    if (!s.visible) return;
    this.paramsByVariant.set(s.visible, s.params);
    this.scheduler?.update(s.visible, s.params);
    this.persist();
    this.syncDom();
  }

  private accept(): void {
    const s = this.session;
    const el = this.page.element(s?.visible ?? null);
    if (!s || !el || !s.visible || s.decision || !canDecide(this.server, this.page.ids().length)) return;
    this.metrics.mark('acceptClickAt');
    const params = paramsFor(knobsOf(el), s.params);
    // The values on screen reach the journal before the decision (same socket, in order).
    this.scheduler?.update(s.visible, params);
    this.scheduler?.flush();
    this.scheduler?.setEnabled(false);
    const eventId = newEventId('accept', s.sessionId);
    s.decision = { type: 'accept', variant: s.visible, params, eventId, acked: false };
    this.persist();
    this.conn.send(acceptEvent(s, eventId, s.visible, params));
    this.syncDom();
  }

  private discard(): void {
    const s = this.session;
    if (!s || s.decision || !canDiscard(this.server)) return;
    this.metrics.mark('discardClickAt');
    this.scheduler?.setEnabled(false);
    const eventId = newEventId('discard', s.sessionId);
    s.decision = { type: 'discard', eventId, acked: false };
    this.persist();
    this.conn.send(discardEvent(s, eventId));
    this.syncDom();
  }

  // ---------------------------------------------------------------------------------------- page

  private syncDom(): void {
    this.page.sync(this.session, this.paramsByVariant);
    if (!this.finished) this.page.maybeMount(this.session, this.server, this.askFlow.target);
    this.render();
  }

  private onKey(e: KeyboardEvent): void {
    if (this.askFlow.picking || isEditableTarget(e)) return;
    const cycling = this.session !== null && this.stage() === 'cycling';
    const intent = keyIntent(e, { asking: this.askFlow.asking, cycling });
    if (!intent) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (intent.kind === 'cancel') this.askFlow.cancel();
    else if (intent.kind === 'move') this.askFlow.move(intent.key, intent.shift);
    else if (intent.kind === 'step') this.step(intent.delta);
    else {
      const id = this.page.ids()[intent.index];
      if (id) this.show(id);
    }
  }

  private render(): void {
    const s = this.session;
    this.launcher.update(!s && !this.askFlow.busy, this.conn.status);
    this.agents.render();
    if (!s) {
      this.bar.hide();
      return;
    }
    const view = barViewOf({
      session: s,
      server: this.server,
      stage: this.stage(),
      connection: this.conn.status,
      queued: this.outbox.forSession(s.sessionId).length,
      variants: this.page.ids(),
      visibleEl: this.page.element(s.visible),
      message: this.message,
    });
    if (view.stage === 'cycling' && view.canDecide) this.metrics.markOnce('readyAt');
    this.bar.update(view);
  }
}
