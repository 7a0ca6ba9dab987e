// Renders the view state. Pure DOM from data; the callbacks carry the user's intent back to main.ts.
import { groupByBranch } from './branchGroups';
import { button, h } from './dom';
import type { DiagnosticRow, SessionCard, ViewState } from './protocol';

export interface Handlers {
  accept(sessionId: string, variant: string): void;
  discard(sessionId: string): void;
  open(sessionId: string): void;
  openLocation(file: string, line: number): void;
  fix(sessionId: string): void;
  select(sessionId: string): void;
  command(command: 'startBridge' | 'openPreview' | 'showStatus' | 'copyInstructions' | 'resume'): void;
}

const ROLE_TEXT: Record<string, string> = {
  dormant: 'Not started',
  starting: 'Starting…',
  leader: 'This window owns the journal',
  follower: 'Following another window',
  waiting: 'Waiting for the journal',
  failed: 'Journal error',
};

/** Decisions the user still has to make or that are being applied. */
export function isPending(s: SessionCard): boolean {
  return s.choices.length > 0 || s.phase === 'accept_pending' || s.phase === 'discard_pending';
}

function fileLink(s: { file: string | null; line: number | null }, h2: Handlers): Node | null {
  if (!s.file) return null;
  const label = s.line ? `${s.file}:${s.line}` : s.file;
  const a = h('a', { class: 'file', title: `Open ${label}` }, label);
  a.href = '#';
  a.addEventListener('click', (e) => {
    e.preventDefault();
    h2.openLocation(s.file!, s.line ?? 1);
  });
  return a;
}

function params(p: SessionCard['params']): string | null {
  if (!p) return null;
  const entries = Object.entries(p);
  return entries.length === 0 ? null : entries.map(([k, v]) => `${k} = ${String(v)}`).join(', ');
}

function header(state: ViewState, hs: Handlers): HTMLElement {
  const bridge = state.bridge.running
    ? h('span', { class: 'ok', title: state.bridge.url ?? '' }, `Bridge ${state.bridge.url ?? ''}`)
    : h('span', { class: 'muted' }, 'Bridge stopped');
  return h(
    'header',
    { class: 'bar' },
    h(
      'span',
      { class: `role role-${state.role}`, title: state.roleDetail },
      ROLE_TEXT[state.role] ?? state.role,
    ),
    bridge,
    !state.bridge.running && state.role !== 'follower'
      ? button('Start Bridge', () => hs.command('startBridge'), { secondary: true })
      : null,
  );
}

function currentCard(s: SessionCard, hs: Handlers, busy: boolean): HTMLElement {
  const p = params(s.params);
  return h(
    'section',
    { class: 'card current', 'aria-label': `Session ${s.sessionId}` },
    h(
      'div',
      { class: 'card-title' },
      h('span', { class: `phase phase-${s.phase}` }, s.label),
      h('code', {}, s.sessionId),
    ),
    h(
      'div',
      { class: 'meta' },
      fileLink(s, hs),
      s.variant ? h('span', {}, `variant ${s.variant}`) : null,
      s.branch
        ? h('span', { class: 'muted', title: 'The branch the session was started on' }, `on ${s.branch}`)
        : null,
      s.browserConnected
        ? h('span', { class: 'ok' }, 'browser connected')
        : h('span', { class: 'muted' }, 'no browser'),
    ),
    p ? h('div', { class: 'meta' }, h('span', { class: 'muted' }, 'params '), p) : null,
    h(
      'div',
      { class: 'next' },
      h('div', { class: 'next-title' }, s.next.title),
      h('div', { class: 'next-reason' }, s.next.reason),
      s.next.command ? h('code', { class: 'next-command' }, s.next.command) : null,
      s.next.fix
        ? h(
            'div',
            { class: 'actions' },
            button(s.next.fix, () => hs.fix(s.sessionId)),
          )
        : null,
    ),
    s.owed.length > 0
      ? h(
          'div',
          { class: 'meta' },
          h('span', { class: 'muted' }, 'owed '),
          s.owed.map((o) => `${o.kind} (${o.state}${o.agentId ? ` by ${o.agentId}` : ''})`).join(', '),
        )
      : null,
    busy ? h('div', { class: 'muted' }, 'Applying…') : null,
  );
}

function pendingRow(s: SessionCard, hs: Handlers, busy: boolean): HTMLElement {
  const actions = h('div', { class: 'actions' });
  for (const v of s.choices) {
    const b = button(`Accept ${v}`, () => hs.accept(s.sessionId, v), {
      title: `Keep variant ${v} of ${s.sessionId}`,
    });
    b.disabled = busy;
    actions.append(b);
  }
  if (s.canDiscard) {
    const b = button('Discard', () => hs.discard(s.sessionId), { secondary: true });
    b.disabled = busy;
    actions.append(b);
  }
  if (s.choices.length === 0 && s.next.fix) actions.append(button(s.next.fix, () => hs.fix(s.sessionId)));
  actions.append(button('Open', () => hs.open(s.sessionId), { secondary: true }));
  return h(
    'li',
    { class: 'pending', 'data-session': s.sessionId },
    h(
      'div',
      { class: 'card-title' },
      h('span', { class: `phase phase-${s.phase}` }, s.label),
      h('code', {}, s.sessionId),
      fileLink(s, hs),
    ),
    actions,
  );
}

function diagnosticRow(d: DiagnosticRow, hs: Handlers): HTMLElement {
  return h(
    'li',
    { class: 'diag' },
    h('code', {}, d.code),
    ' ',
    d.message,
    d.file ? ' ' : null,
    d.file ? fileLink({ file: d.file, line: d.line }, hs) : null,
  );
}

function sessionItem(s: SessionCard, isCurrent: boolean, hs: Handlers): HTMLElement {
  const item = h(
    'li',
    { class: isCurrent ? 'selected' : '', 'data-session': s.sessionId },
    h('span', { class: `phase phase-${s.phase}` }, s.label),
    ' ',
    h('code', {}, s.sessionId),
  );
  item.tabIndex = 0;
  item.addEventListener('click', () => hs.select(s.sessionId));
  item.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') hs.select(s.sessionId);
  });
  return item;
}

export interface Regions {
  top: HTMLElement;
  timelineTitle: HTMLElement;
  bottom: HTMLElement;
}

/** Renders around the timeline, which stays mounted (a remounted list would lose its scroll position). */
export function renderState(
  regions: Regions,
  state: ViewState,
  selected: string | null,
  busy: ReadonlySet<string>,
  hs: Handlers,
): void {
  const current = selectedSession(state, selected);
  const pending = state.sessions.filter(isPending);
  const top: Node[] = [header(state, hs)];
  if (state.role === 'failed' || state.role === 'waiting') {
    top.push(h('p', { class: 'warn' }, state.roleDetail));
  }
  if (!current) {
    top.push(
      h(
        'section',
        { class: 'card empty' },
        h('p', {}, 'No live session. Pick an element in the preview and ask for variants.'),
        h(
          'div',
          { class: 'actions' },
          button('Open Preview', () => hs.command('openPreview')),
          button('Copy Agent Instructions', () => hs.command('copyInstructions'), { secondary: true }),
        ),
      ),
    );
  } else {
    top.push(currentCard(current, hs, busy.has(current.sessionId)));
  }
  top.push(h('h2', {}, `Pending decisions (${pending.length})`));
  top.push(
    pending.length > 0
      ? h('ul', { class: 'list' }, ...pending.map((s) => pendingRow(s, hs, busy.has(s.sessionId))))
      : h('p', { class: 'muted' }, 'Nothing waits for a choice.'),
  );
  if (state.sessions.length > 1) {
    const list = h('ul', { class: 'list sessions' });
    const groups = groupByBranch(state.sessions);
    for (const group of groups) {
      // A header only when sessions span more than one branch.
      if (groups.length > 1) {
        list.append(
          h('li', { class: 'group', role: 'presentation', 'data-branch': group.branch ?? '' }, group.label),
        );
      }
      for (const s of group.items) list.append(sessionItem(s, s === current, hs));
    }
    top.push(h('h2', {}, 'Sessions'), list);
  }
  regions.top.replaceChildren(...top);
  regions.timelineTitle.textContent = current ? `Timeline · ${current.sessionId}` : 'Timeline';
  regions.bottom.replaceChildren(
    h('h2', {}, `Diagnostics (${state.diagnostics.length})`),
    state.diagnostics.length > 0
      ? h('ul', { class: 'list diags' }, ...state.diagnostics.map((d) => diagnosticRow(d, hs)))
      : h('p', { class: 'muted' }, 'None.'),
  );
}

export function selectedSession(state: ViewState, selected: string | null): SessionCard | undefined {
  return state.sessions.find((s) => s.sessionId === (selected ?? state.current)) ?? state.sessions[0];
}
