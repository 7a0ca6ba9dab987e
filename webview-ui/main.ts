// The Live Sessions view (webview). State comes from the extension host; the selected session and the
// timeline's scroll position survive a reload through the webview's own state.

import { h } from './dom';
import { parseHostMessage, type ViewMessage, type ViewState } from './protocol';
import { renderState, selectedSession } from './render';
import { TimelineList } from './timeline';

interface Persisted {
  selected: string | null;
  scrollTop: number;
}

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: Persisted): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const restored = vscode.getState() as Partial<Persisted> | undefined;
let selected: string | null = typeof restored?.selected === 'string' ? restored.selected : null;
let restoredScroll: number | undefined =
  typeof restored?.scrollTop === 'number' ? restored.scrollTop : undefined;
let state: ViewState | undefined;
const busy = new Set<string>();

const timeline = new TimelineList((sessionId, start, count) =>
  vscode.postMessage({ type: 'timeline', sessionId, start, count }),
);

const regions = {
  top: h('div', { class: 'top' }),
  timelineTitle: h('h2', {}, 'Timeline'),
  bottom: h('div', { class: 'bottom' }),
};
app.replaceChildren(regions.top, regions.timelineTitle, timeline.element, regions.bottom);

function persist(): void {
  vscode.setState({ selected, scrollTop: timeline.scrollTop });
}
timeline.element.addEventListener('scroll', persist, { passive: true });

function render(): void {
  if (!state) return;
  renderState(regions, state, selected, busy, handlers);
  const s = selectedSession(state, selected);
  timeline.show(s?.sessionId ?? null, s?.lastSeq ?? 0, restoredScroll);
  restoredScroll = undefined;
}

const handlers = {
  accept: (sessionId: string, variant: string) => vscode.postMessage({ type: 'accept', sessionId, variant }),
  discard: (sessionId: string) => vscode.postMessage({ type: 'discard', sessionId }),
  open: (sessionId: string) => vscode.postMessage({ type: 'open', sessionId }),
  openLocation: (file: string, line: number) => vscode.postMessage({ type: 'openLocation', file, line }),
  fix: (sessionId: string) => vscode.postMessage({ type: 'fix', sessionId }),
  select: (sessionId: string) => {
    selected = sessionId;
    persist();
    render();
  },
  command: (command: 'startBridge' | 'openPreview' | 'showStatus' | 'copyInstructions' | 'resume') =>
    vscode.postMessage({ type: 'command', command }),
};

window.addEventListener('message', (event: MessageEvent) => {
  const m = parseHostMessage(event.data);
  if (!m) return;
  if (m.type === 'state') {
    state = m.state;
    if (selected && !state.sessions.some((s) => s.sessionId === selected)) selected = null;
    render();
  } else if (m.type === 'timeline') {
    timeline.receive(m.sessionId, m.start, m.rows);
  } else if (m.type === 'busy') {
    if (m.busy) busy.add(m.sessionId);
    else busy.delete(m.sessionId);
    render();
  }
});

vscode.postMessage({ type: 'ready' });
