// The Live Sessions view (webview). State comes from the extension host; the selected session, the
// timeline's scroll position, the selected agent and the log filter survive a reload through the webview's
// own state.
import './agents.css';
import { AgentsPanel } from './agents';
import { h } from './dom';
import { LogView } from './logView';
import { type AgentsState, parseHostMessage, type ViewMessage, type ViewState } from './protocol';
import { renderState, selectedSession } from './render';
import { TimelineList } from './timeline';

interface Persisted {
  selected: string | null;
  scrollTop: number;
  agent: string | null;
  logFilter: string;
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
let agents: AgentsState | undefined;
let agent: string | null = typeof restored?.agent === 'string' ? restored.agent : null;
/** The agent whose log the host streams now, and the number of that request (stale lines are ignored). */
let followed: string | null = null;
// A reloaded view must not take lines meant for its previous life: streams start at a random number.
let stream = Math.floor(Math.random() * 1e8);
const busy = new Set<string>();

const timeline = new TimelineList((sessionId, start, count) =>
  vscode.postMessage({ type: 'timeline', sessionId, start, count }),
);

const agentsPanel = new AgentsPanel({
  select: (agentId) => {
    agent = agentId;
    persist();
    renderAgents();
  },
  interrupt: (agentId) => vscode.postMessage({ type: 'interrupt', agentId }),
  answer: (questionId, value) => vscode.postMessage({ type: 'answer', questionId, value }),
  resumeWork: () => vscode.postMessage({ type: 'resumeWork' }),
});
const logView = new LogView(() => persist());
if (typeof restored?.logFilter === 'string') logView.setFilter(restored.logFilter);

const regions = {
  top: h('div', { class: 'top' }),
  timelineTitle: h('h2', {}, 'Timeline'),
  bottom: h('div', { class: 'bottom' }),
};
app.replaceChildren(
  regions.top,
  agentsPanel.questionsEl,
  regions.timelineTitle,
  timeline.element,
  agentsPanel.agentsEl,
  logView.element,
  regions.bottom,
);

function persist(): void {
  vscode.setState({ selected, scrollTop: timeline.scrollTop, agent, logFilter: logView.filter });
}
timeline.element.addEventListener('scroll', persist, { passive: true });

function render(): void {
  if (!state) return;
  renderState(regions, state, selected, busy, handlers);
  const s = selectedSession(state, selected);
  timeline.show(s?.sessionId ?? null, s?.lastSeq ?? 0, restoredScroll);
  restoredScroll = undefined;
}

/** Renders the agents and makes the host stream the shown agent's log (and only that one). */
function renderAgents(): void {
  if (!agents) return;
  const list = agents.agents;
  if (!list.some((a) => a.agentId === agent)) agent = list[0]?.agentId ?? null;
  agentsPanel.render(agents, agent, Date.now());
  const shown = list.find((a) => a.agentId === agent);
  logView.show(shown ? shown.agentId : null, shown?.name ?? '');
  if (agent !== followed) {
    followed = agent;
    stream += 1;
    vscode.postMessage({ type: 'followLog', agentId: agent, stream });
  }
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
  switch (m.type) {
    case 'state':
      state = m.state;
      if (selected && !state.sessions.some((s) => s.sessionId === selected)) selected = null;
      render();
      return;
    case 'timeline':
      timeline.receive(m.sessionId, m.start, m.rows);
      return;
    case 'busy':
      if (m.busy) busy.add(m.sessionId);
      else busy.delete(m.sessionId);
      render();
      return;
    case 'agents':
      agents = m.agents;
      renderAgents();
      return;
    case 'log':
      if (m.stream === stream) logView.append(m.entries);
      return;
    case 'logState':
      if (m.stream === stream) logView.setStreamState(m.state, m.message);
      return;
  }
});

setInterval(() => agentsPanel.tick(Date.now()), 5000);

vscode.postMessage({ type: 'ready' });
