// `log`, `ask`, `interrupt`, `agents`: an agent's voice to the person (docs/agents.md). All need a bridge:
// presence and log buffers live in its memory; questions and answers are journaled by it.

import { createInterface } from 'node:readline';
import { deriveQuestionId } from '../../core/agents';
import { LiveVariantsError } from '../../core/errors';
import { checkAgentId, resolveCliAgent } from '../agentId';
import { integerFlag, listFlag, stringFlag } from '../args';
import { BridgeClient } from '../client';
import type { Command } from '../command';
import { requireEndpoint, resolveConnection, withConnectionFlags } from '../connection';
import { EXIT, printJson } from '../output';

const AGENT_FLAG = {
  agent: { kind: 'string' as const, valueName: 'ID', description: 'agent id (default: per terminal)' },
  name: { kind: 'string' as const, valueName: 'TEXT', description: 'display name shown to the person' },
};
const ASK_ROUND_MS = 25_000;

async function agentOf(args: Parameters<Command['run']>[0], io: Parameters<Command['run']>[1], root: string) {
  return resolveCliAgent({
    flag: stringFlag(args, 'agent'),
    name: stringFlag(args, 'name'),
    env: io.env,
    root,
  });
}

export const logCommand: Command = {
  name: 'log',
  summary: 'Send log lines for this agent (arguments, or stdin streamed); or --follow AGENT to read a log.',
  usage: 'log [LINE] [--agent ID] [--name TEXT] | log --follow AGENT [--from-seq N]',
  details:
    "Without arguments the lines come from stdin and are sent as they arrive. --follow prints the agent's buffered history, then live lines, one JSON object per line, until interrupted.",
  spec: withConnectionFlags({
    positionals: [
      {
        name: 'line',
        description: 'the text to send (line breaks split it into lines); stdin when absent',
        required: false,
      },
    ],
    flags: {
      ...AGENT_FLAG,
      follow: { kind: 'string', valueName: 'AGENT', description: "print this agent's log, then follow it" },
      'from-seq': {
        kind: 'integer',
        valueName: 'N',
        min: 1,
        description: 'first line to print with --follow',
      },
    },
  }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const endpoint = requireEndpoint(conn);
    const follow = stringFlag(args, 'follow');
    if (follow !== undefined) {
      checkAgentId(follow, '--follow');
      const url = new URL(`${endpoint.url}/v1/agents/${encodeURIComponent(follow)}/log`);
      url.searchParams.set('follow', '1');
      const from = integerFlag(args, 'from-seq');
      if (from !== undefined) url.searchParams.set('fromSeq', String(from));
      const abort = new AbortController();
      void io.stopSignal().then(() => abort.abort());
      try {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${endpoint.token}` },
          signal: abort.signal,
        });
        if (!res.ok || !res.body)
          throw new LiveVariantsError('bad_response', `The bridge answered ${res.status}.`);
        const decoder = new TextDecoder();
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          io.stdout(decoder.decode(value, { stream: true }));
        }
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
      return EXIT.ok;
    }
    const { agentId, name, harness } = await agentOf(args, io, conn.root);
    const client = new BridgeClient(endpoint);
    const path = `/v1/agents/${encodeURIComponent(agentId)}/log`;
    const positional = args.positionals.line;
    if (positional !== undefined) {
      // A multi-line argument is split at its line breaks by the bridge.
      printJson(io, await client.post(path, { lines: positional, name, harness }));
      return EXIT.ok;
    }
    // Stream stdin: send what arrived every 100 ms (or 200 lines), so a follower sees lines live.
    const batch: string[] = [];
    let first: number | undefined;
    let last = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      // At most 200 lines a request, so a follower sees them arrive as a stream.
      const sending = batch.splice(0, 200);
      if (batch.length > 0) chain = chain.then(flush);
      const r = await client.post<{ firstSeq: number; lastSeq: number }>(path, {
        lines: sending,
        name,
        harness,
      });
      first ??= r.firstSeq;
      last = r.lastSeq;
    };
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let timer: NodeJS.Timeout | undefined;
    let chain = Promise.resolve();
    for await (const line of rl) {
      batch.push(line);
      if (batch.length >= 200) chain = chain.then(flush);
      else
        timer ??= setTimeout(() => {
          timer = undefined;
          chain = chain.then(flush);
        }, 100);
    }
    if (timer) clearTimeout(timer);
    await chain;
    while (batch.length > 0) await flush();
    await chain;
    printJson(io, { agentId, firstSeq: first ?? null, lastSeq: first === undefined ? null : last });
    return EXIT.ok;
  },
};

export const askCommand: Command = {
  name: 'ask',
  summary: 'Ask the person a question and wait for the answer (VS Code, the Live Sessions view or the page).',
  usage:
    'ask "QUESTION" [--choices a,b,c] [--id QID] [--timeout MS] [--session ID] [--agent ID] [--name TEXT]',
  details:
    'Blocks until answered and prints {"type":"answer",questionId,value,by,answeredAt}; with --timeout, prints {"type":"timeout",questionId} when time runs out (exit 0; the question stays open). Asking again with the same question (or --id) returns the stored answer at once, so an agent killed while waiting gets the answer on its next ask.',
  spec: withConnectionFlags({
    positionals: [{ name: 'question', description: 'the question text', required: true }],
    flags: {
      ...AGENT_FLAG,
      choices: { kind: 'list', valueName: 'a,b', description: 'answers to choose from' },
      id: {
        kind: 'string',
        valueName: 'QID',
        description: 'question id (default: derived from the question)',
      },
      timeout: { kind: 'integer', valueName: 'MS', min: 0, description: 'stop waiting after this long' },
      session: { kind: 'string', valueName: 'ID', description: 'the session the question is about' },
    },
  }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const endpoint = requireEndpoint(conn);
    const { agentId } = await agentOf(args, io, conn.root);
    const text = args.positionals.question;
    const choices = listFlag(args, 'choices');
    const sessionId = stringFlag(args, 'session');
    const questionId = stringFlag(args, 'id') ?? deriveQuestionId({ agentId, sessionId, text, choices });
    const timeout = integerFlag(args, 'timeout');
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout;
    const client = new BridgeClient(endpoint);
    for (;;) {
      const wait = Math.max(0, Math.min(ASK_ROUND_MS, deadline - Date.now()));
      const outcome = await client.post<{ type: string }>(
        '/v1/ask',
        { questionId, text, choices, sessionId, agentId, timeoutMs: wait },
        { timeoutMs: wait + 10_000 },
      );
      if (outcome.type === 'answer' || outcome.type === 'exit' || Date.now() >= deadline) {
        printJson(io, outcome);
        return EXIT.ok;
      }
    }
  },
};

export const interruptCommand: Command = {
  name: 'interrupt',
  summary:
    "Interrupt an agent: revoke its leases (the work is owed again); its next poll gets {type:'interrupt'}.",
  usage: 'interrupt AGENT [--reason TEXT]',
  details: '',
  spec: withConnectionFlags({
    positionals: [{ name: 'agent', description: 'the agent id', required: true }],
    flags: { reason: { kind: 'string', valueName: 'TEXT', description: 'why (shown to the agent)' } },
  }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    const agent = checkAgentId(args.positionals.agent, 'agent');
    const reason = stringFlag(args, 'reason');
    printJson(
      io,
      await new BridgeClient(requireEndpoint(conn)).post(
        `/v1/agents/${encodeURIComponent(agent)}/interrupt`,
        {
          ...(reason ? { reason } : {}),
        },
      ),
    );
    return EXIT.ok;
  },
};

export const agentsCommand: Command = {
  name: 'agents',
  summary: 'List the agents the bridge knows: presence, current lease, last action, sessions touched.',
  usage: 'agents',
  details: '',
  spec: withConnectionFlags({ positionals: [], flags: {} }),
  async run(args, io) {
    const conn = await resolveConnection(args, io.cwd, io.env);
    printJson(io, await new BridgeClient(requireEndpoint(conn)).get('/v1/agents'));
    return EXIT.ok;
  },
};
