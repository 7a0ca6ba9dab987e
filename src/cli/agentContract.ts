// The agent contract printed by `live-variants instructions`. docs/agent-contract.md holds the same text (a
// test keeps them equal); it is built in so the CLI can print it anywhere, without the docs folder.

export const CONTRACT_FIRST_LINE =
  'Whenever you start, resume, or lose context (a new chat, a compacted conversation), run `live-variants status` before doing anything else.';

export const AGENT_CONTRACT = `${CONTRACT_FIRST_LINE}

# Live Variants — agent contract

A person picks an element in a browser preview and asks for design variants. You write the variants into
source between comment markers; the person cycles through them in the browser, then accepts one or discards
them all. The Live Variants bridge journals every step, so the session survives restarts of the agent, the
bridge and the page. Your memory is not the record: \`live-variants status\` is.

Every command prints one JSON object on stdout. A failure prints \`{"error", "field", "message"}\` and exits
non-zero (2: bad command line, 3: no bridge running, 1: anything else). Set \`LIVE_VARIANTS_AGENT=<your name>\`
once so every command presents the same agent id.

## The loop

1. **Status.** \`live-variants status --json\` and read \`nextAction\`: \`action\`, \`reason\`, \`sessionId\`,
   \`file\`, \`variant\`, \`paramValues\`, \`lease\` and \`command\` (the exact command to run next, when there is
   one). Act on it (see "Next actions"). When it says \`poll_for_pending_event\`, go on to 2.
2. **Poll.** \`live-variants poll\` waits up to 25 s and prints one of:
   - \`{"type":"timeout"}\`: nothing arrived; poll again.
   - \`{"type":"work","leaseId",…,"kind","sessionId","event"}\`: you hold a lease on this work until
     \`leaseUntil\` (60 s by default; poll with \`--lease-ms 600000\` when the work takes longer). When a lease
     runs out before your ack, the work is handed to the next poll.
   - \`{"type":"interrupt","reason"}\`: the person stopped you. Abandon the work you hold, run status.
   - \`{"type":"exit"}\`: the bridge is shutting down. Stop; run status when it is back.
3. **Work.** Do what the item's \`kind\` asks (below) and save it to disk.
4. **Ack.** \`live-variants ack <leaseId> <result>\`, only after the work is on disk.
5. Back to 1.

## Work kinds

### \`generate\`: write variants

1. \`live-variants wrap --lease <leaseId>\` wraps the picked element (\`event.element\`) in the variant scaffold
   and prints \`{file, wrappedLines, variantsLine, variantIndent, commentSyntax}\`. Running it again is safe
   (\`"status":"alreadyApplied"\`). When it refuses:
   - \`element_ambiguous\`: choose one of \`candidates\` and run \`wrap --lease <leaseId> --file <file> --line <n>\`;
   - \`element_not_found\`: find the element yourself and pass \`--file\` (and \`--element-id\`, \`--classes\`,
     \`--tag\` with \`--text\`);
   - \`file_is_generated\`: the element lives in a build output; wrap it in the true source file instead.
2. Write \`event.count\` variants into \`file\` before line \`variantsLine\`, each line indented by at least
   \`variantIndent\`: \`<div data-impeccable-variant="1">…</div>\`, then
   \`<div data-impeccable-variant="2" style="display: none">…</div>\` and so on (JSX:
   \`style={{ display: "none" }}\`). Each is a complete alternative of the original element that follows
   \`event.prompt\`, \`event.action\` and \`event.annotations\`. Optional: shared CSS in one
   \`<style data-impeccable-css="<sessionId>">\` before the variants, and knobs the person can tune in
   \`data-impeccable-params='[{"id":"tone","kind":"range","min":0,"max":1,"default":0.5}]'\` (read as
   \`var(--p-tone)\`; \`steps\` knobs as \`[data-p-<id>="value"]\`).
3. Save, then \`live-variants ack <leaseId> done --file <file> --count <n>\`.
   Cannot do it: \`live-variants ack <leaseId> error --message "why"\`. Let another attempt take it:
   \`live-variants ack <leaseId> retry --reason "why"\`.

### \`accept\` and \`discard\` (only when the bridge runs with \`--accept-by agent\`)

- \`accept\`: keep variant \`event.variant\` with \`event.params\` baked in, at the original indentation; remove
  the other variants, the original, the wrapper and the markers. Then \`live-variants ack <leaseId> complete\`.
- \`discard\`: restore the original content exactly and remove the wrapper and the markers. Then
  \`live-variants ack <leaseId> discarded\`.

By default the bridge applies accepts and discards itself and you receive no such work.

### \`carbonize_cleanup\`: finish an accept

The accepted variant is kept between \`impeccable-carbonize-start/end <sessionId>\` markers with its style block
and an \`impeccable-param-values\` comment. Turn those rules into permanent CSS with the values baked in
(replace \`var(--p-<id>)\` and \`[data-p-<id>]\` selectors), remove the markers, the param-values comment and the
\`data-impeccable-*\` wrapper, keep the content. Then \`live-variants ack <leaseId> complete\`.

## Next actions

| \`nextAction.action\` | what it means | what you do |
|---|---|---|
| \`poll_for_pending_event\` | work waits in the queue, or the person is busy in the browser | \`live-variants poll\` |
| \`write_variants\` | a request has no variants in source yet | with \`lease\`: wrap and write (above); else run \`command\` (poll, or \`resume\` when the work was lost) |
| \`continue_writing_variants\` | fewer variants than declared, or all written but not acked | write the missing ones in \`file\`, then run \`command\` (the ack) |
| \`run_accept_cleanup\` | the person accepted \`variant\` (with \`paramValues\`); the other variants are still in source | keep it, remove the rest and the markers, then run \`command\` |
| \`run_carbonize_cleanup\` | an accept left carbonize markers | bake the values into permanent CSS, remove the markers, then run \`command\` |
| \`restore_discard\` | the person discarded; the variants are still in source | restore the original, remove the markers, then run \`command\` |
| \`persist_fallback_to_true_source\` | the session's markers are in a generated file (a rewrite there is lost on the next build) | make the change (\`variant\`, \`paramValues\`) in the true source; leave the generated file to its build |
| \`acknowledge_completion\` | the source is already clean; the completion is recorded | nothing for this session; run status again |
| \`ask_user_to_reopen_browser\` | variants wait for a choice but no page holds the session | ask the person to reopen the preview (or to accept or discard in VS Code); never choose for them |
| \`no_active_session\` | nothing is owed | \`live-variants poll\` for the next request, or stop |

A \`session_stranded\` diagnostic means an interruption left the session waiting: \`live-variants resume <sessionId>\`
owes its work again. \`live-variants complete <sessionId>\` records a cleanup you did without a lease; it refuses
with \`not_clean\` and lists what is left while markers remain.

## Rules

- Run \`live-variants status\` first whenever you start, resume or lose context, and believe it over memory.
- Ack only after the work is saved on disk. Ack each lease once, with the lease id \`poll\` gave you.
- Never edit inside another session's markers, and never change, reuse or invent session ids.
- Never write into a generated file (git-ignored, or headed \`@generated\`, \`GENERATED FILE\`,
  \`AUTO-GENERATED\`, \`DO NOT EDIT\`): make the change in its true source.
- Never choose, accept or discard a variant for the person; \`accept\` and \`discard\` are theirs.
- Use \`complete --force\` only when the person says the leftovers are intended.
- Leave \`.live-variants/\` alone, and never print, paste or commit the bridge token.
`;
