// A real bridge in its own process for the browser e2e tests (SIGKILLed and restarted like a crashed
// extension host). Like test/helpers/bridgeChild.ts, plus: it serves the live.js built for the test run, and
// registers the artifact upload route until src/bridge/routes.ts lists it.
// argv: root acceptBy leaseMs liveScriptPath
import { artifactRoute } from '../../src/bridge/artifactRoutes';
import { routes } from '../../src/bridge/routes';
import { startBridge } from '../../src/bridge/server';

const [root, acceptBy = 'bridge', leaseMs = '60000', liveScriptPath] = process.argv.slice(2);

if (!routes.some((r) => r.path === artifactRoute.path)) routes.push(artifactRoute);

startBridge({
  root,
  acceptBy: acceptBy === 'agent' ? 'agent' : 'bridge',
  leaseMs: Number(leaseMs),
  liveScriptPath,
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
