// A real process running the real journal, for crash and lock tests. Bundled by test/helpers/bundle.ts.
//   node child.cjs append   <dir> <sessionId>  reads JSON lines {eventId} on stdin, appends each at once
//                                               (many in flight), prints "ack <eventId> <seq>" after append resolves
//   node child.cjs snapshot <dir> <sessionId>  appends and rewrites the snapshot in a loop
//   node child.cjs hold     <dir>              takes the writer lock and waits
// Every mode prints "ready" once the journal directory is open, or "open-failed <code>" and exits 3.
// With LV_WAIT_GO=1 in the environment the process first waits for a "go" line on stdin, so a test can
// start the next process while the current one still runs and hand over without paying Node's start-up.
// The define LV_ACK_BEFORE_WRITE="1" builds the deliberately broken variant: it acknowledges first and
// appends 40 ms later, which is exactly the bug the crash test's checker must catch.
import { createInterface } from 'node:readline';
import { openJournalDir } from '../../src/core/journal/journalDir';

const [mode, dir, sessionId = 's'] = process.argv.slice(2);
const ackBeforeWrite = process.env.LV_ACK_BEFORE_WRITE === '1';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Resolves on the first stdin line; later lines go to `onLine`. */
function stdinLines(onLine: (line: string) => void): Promise<void> {
  let first = true;
  return new Promise((resolve) => {
    createInterface({ input: process.stdin }).on('line', (text) => {
      if (first) {
        first = false;
        resolve();
        if (text === 'go') return;
      }
      onLine(text);
    });
  });
}

let handleLine: (line: string) => void = () => undefined;

async function main(): Promise<void> {
  const firstLine = stdinLines((line) => handleLine(line));
  if (process.env.LV_WAIT_GO === '1') await firstLine;
  let jd: Awaited<ReturnType<typeof openJournalDir>>;
  try {
    jd = await openJournalDir(dir, { heartbeatMs: 50 });
  } catch (e) {
    say(`open-failed ${(e as { code?: string }).code ?? String(e)}`);
    process.exit(3);
  }
  if (mode === 'hold') {
    say('ready');
    setInterval(() => undefined, 1000);
    return;
  }
  const journal = await jd.openSession(sessionId);
  say(`ready ${journal.records.length}`);

  if (mode === 'snapshot') {
    for (let i = 0; ; i++) {
      await journal.append({ eventId: `snap-${process.pid}-${i}`, type: 'tick', data: { i } });
      const state = { count: journal.records.length, last: journal.lastSeq, pad: 'x'.repeat(i % 4096) };
      await journal.writeSnapshot(state);
    }
  }

  handleLine = (text) => {
    const { eventId } = JSON.parse(text) as { eventId: string };
    const append = () => journal.append({ eventId, type: 'test.event', data: { eventId } });
    if (ackBeforeWrite) {
      say(`ack ${eventId} 0`);
      setTimeout(() => void append(), 40);
      return;
    }
    append().then(
      (r) => say(`ack ${eventId} ${r.seq}`),
      (e: { code?: string }) => say(`fail ${eventId} ${e.code}`),
    );
  };
}

void main();
