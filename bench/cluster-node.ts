// One app process of `npm run bench:cluster`: server/main.ts's start (configuration from the environment,
// Redis, the store, the app) on a register the bench has already seeded, with the per-user live socket
// cap lifted (the fan-out opens thousands of sockets as one teacher). Prints "running at URL" like main.
import { loadConfig } from '../server/config';
import { openConfiguredStore } from '../db/open';
import { openSharedState } from '../server/shared-state';
import { buildApp } from '../server/app';

const config = loadConfig();
const shared = await openSharedState(config, (err) => console.error(`Redis: ${err.message}`));
const store = await openConfiguredStore(config);
const liveLimits = { socketsPerUser: Number.MAX_SAFE_INTEGER, connections: { burst: Number.MAX_SAFE_INTEGER, perSecond: 1e9 } };
const app = await buildApp({ store, config, logger: false, liveLimits, bus: shared.bus, loginThrottle: shared.loginThrottle });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`running at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
const stop = async () => {
  await app.close();
  await shared.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
