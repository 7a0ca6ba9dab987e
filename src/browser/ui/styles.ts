// The UI's stylesheet, adopted by the shadow root as a constructed stylesheet (no <style> element and no style
// attributes, so a page CSP without 'unsafe-inline' does not block it). Page CSS cannot reach inside; the host
// itself is pinned with inline !important declarations in root.ts.

export const UI_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.lv {
  --bg: #14161c; --bg2: #1d2029; --line: #2e3240; --fg: #eef0f5; --muted: #9aa1b2;
  --accent: #8b6cff; --accent-fg: #ffffff; --ok: #3ecf8e; --warn: #ffb547; --bad: #ff6b6b;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg);
  -webkit-font-smoothing: antialiased;
}
button, input, select, textarea { font: inherit; color: inherit; }
button {
  cursor: pointer; border: 1px solid var(--line); background: var(--bg2); color: var(--fg);
  border-radius: 7px; padding: 5px 10px; min-height: 28px; display: inline-flex; align-items: center; gap: 6px;
}
button:hover:not(:disabled) { border-color: #454b5e; }
button:disabled { opacity: .45; cursor: not-allowed; }
button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible {
  outline: 2px solid var(--accent); outline-offset: 2px;
}
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); font-weight: 600; }
button.danger { color: #ffd0d0; }
button[aria-pressed="true"] { background: #2c2450; border-color: var(--accent); }
.launcher {
  position: fixed; right: 16px; bottom: 16px; z-index: 3; border-radius: 999px; padding: 7px 14px;
  background: var(--bg); box-shadow: 0 6px 24px rgba(0,0,0,.35); font-weight: 600;
}
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--muted); display: inline-block; flex: none; }
.dot[data-status="online"] { background: var(--ok); }
.dot[data-status="http"] { background: var(--warn); }
.dot[data-status="offline"] { background: var(--bad); }
.highlight {
  position: fixed; z-index: 1; pointer-events: none; border: 2px solid var(--accent);
  background: rgba(139,108,255,.10); border-radius: 3px; transition: all 60ms linear;
}
.highlight[data-picked] { border-style: solid; background: rgba(139,108,255,.06); }
.tag {
  position: absolute; left: -2px; bottom: 100%; margin-bottom: 4px; white-space: nowrap;
  background: var(--accent); color: var(--accent-fg); font: 600 11px/1.6 ui-monospace, Menlo, monospace;
  padding: 0 6px; border-radius: 4px;
}
.card {
  position: fixed; right: 16px; bottom: 16px; z-index: 4; width: 340px; max-width: calc(100vw - 32px);
  max-height: calc(100vh - 32px); overflow: auto; background: var(--bg); border: 1px solid var(--line);
  border-radius: 12px; box-shadow: 0 12px 40px rgba(0,0,0,.45); padding: 12px; display: grid; gap: 10px;
}
.row { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.spread { justify-content: space-between; }
.title { font-weight: 600; }
.mono { font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.hint { color: var(--muted); font-size: 12px; }
.chips button { padding: 3px 9px; min-height: 24px; border-radius: 999px; font-size: 12px; }
textarea {
  width: 100%; min-height: 64px; resize: vertical; background: var(--bg2); border: 1px solid var(--line);
  border-radius: 8px; padding: 7px 8px;
}
input[type="number"] { width: 52px; background: var(--bg2); border: 1px solid var(--line); border-radius: 7px; padding: 4px 6px; }
.segmented { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.segmented button { border: 0; border-radius: 0; min-height: 26px; }
.status { display: flex; align-items: center; gap: 8px; flex: 1 1 auto; min-width: 0; }
.head { flex-wrap: nowrap; align-items: flex-start; }
.head > .row { flex: none; }
.spinner {
  width: 14px; height: 14px; border-radius: 50%; border: 2px solid var(--line); border-top-color: var(--accent);
  animation: spin .8s linear infinite; flex: none;
}
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } .highlight { transition: none; } }
.counter { font-variant-numeric: tabular-nums; min-width: 44px; text-align: center; font-weight: 600; }
.dots { display: flex; gap: 4px; }
.dots button { width: 22px; min-height: 22px; padding: 0; justify-content: center; font-size: 11px; border-radius: 6px; }
.dots button[aria-current="true"] { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
.knobs { display: grid; gap: 8px; border-top: 1px solid var(--line); padding-top: 8px; }
.knob { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; align-items: center; }
.knob label { color: var(--muted); font-size: 12px; }
.knob output { font: 12px ui-monospace, Menlo, monospace; }
.knob input[type="range"] { grid-column: 1 / -1; width: 100%; accent-color: var(--accent); }
.knob select { background: var(--bg2); border: 1px solid var(--line); border-radius: 7px; padding: 3px 6px; }
.notice { font-size: 12px; border-radius: 8px; padding: 6px 8px; background: #2a2412; color: #ffd891; }
.notice.bad { background: #2d1518; color: #ffb3b3; }
.notice.ok { background: #11261d; color: #a6f0c9; }
.annotate-layer { position: fixed; z-index: 2; cursor: crosshair; touch-action: none; }
.annotate-layer svg { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; }
.pin {
  position: absolute; transform: translate(-50%, -100%); background: var(--warn); color: #221a05;
  font: 600 11px/1.5 system-ui, sans-serif; padding: 1px 6px; border-radius: 6px 6px 6px 0; max-width: 200px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; pointer-events: none;
}
.pin-input {
  position: absolute; width: 180px; background: var(--bg); border: 1px solid var(--warn); border-radius: 6px;
  padding: 3px 6px; color: var(--fg);
}
.dock {
  position: fixed; top: 16px; right: 16px; z-index: 5; width: 340px; max-width: calc(100vw - 32px);
  display: grid; gap: 8px;
}
.panel {
  background: var(--bg); border: 1px solid var(--line); border-radius: 12px; padding: 12px;
  box-shadow: 0 12px 40px rgba(0,0,0,.45); display: grid; gap: 10px;
}
.questions { border-color: var(--accent); max-height: calc(100vh - 140px); overflow: auto; }
.qlist { display: grid; gap: 10px; }
.question { display: grid; gap: 6px; }
.question + .question { border-top: 1px solid var(--line); padding-top: 10px; }
.qtext { white-space: pre-wrap; overflow-wrap: anywhere; }
.question button { max-width: 100%; overflow-wrap: anywhere; text-align: left; }
.question[data-state="answered"] button[aria-pressed="true"] { background: var(--accent); color: var(--accent-fg); }
.qanswer { flex-wrap: nowrap; }
.qanswer input {
  flex: 1 1 auto; min-width: 0; background: var(--bg2); border: 1px solid var(--line); border-radius: 7px;
  padding: 5px 8px;
}
.agent-notice { border-color: var(--warn); color: #ffd891; gap: 4px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
