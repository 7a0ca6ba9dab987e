// A real bridge in its own process, for tests that SIGKILL and restart it. Prints one JSON line when listening.
// argv: root [acceptBy] [leaseMs]
import { join } from 'node:path';
import { startBridge } from '../../src/bridge/server';

const [root, acceptBy = 'bridge', leaseMs = '60000', watch = '0', agentOfflineMs = ''] =
  process.argv.slice(2);

startBridge({
  root,
  acceptBy: acceptBy === 'agent' ? 'agent' : 'bridge',
  leaseMs: Number(leaseMs),
  watch: watch === '1',
  agentOfflineMs: agentOfflineMs === '' ? undefined : Number(agentOfflineMs),
  // Bundled into a temp dir, the child cannot find dist/ beside itself: point at the repo's build.
  liveScriptPath: join(process.cwd(), 'dist', 'live.js'),
  log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
})
  .then((bridge) => {
    process.stdout.write(`${JSON.stringify({ type: 'listening', port: bridge.port, pid: process.pid })}\n`);
    const stop = () => void bridge.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((e) => {
    process.stderr.write(`bridge failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
