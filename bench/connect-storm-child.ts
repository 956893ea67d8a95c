/** One process of a connect storm's clients (forked by connect-storm.ts): storms, reports, holds until told to exit. */
import { mintConnectionToken } from '../embedded-server/index.js';
import { connectStorm } from './connect-storm-client.js';

interface StormOrder { url: string; secret: string; first: number; count: number }

process.once('message', (order: StormOrder) => {
  void (async () => {
    const tokens = await Promise.all(Array.from({ length: order.count }, (_, i) => mintConnectionToken({ secret: order.secret, user: `storm-${order.first + i}` })));
    process.send!({ t: 'ready' });
    process.once('message', async () => {
      const result = await connectStorm({ url: order.url, tokens });
      process.send!({ t: 'done', admitted: result.admitted, failed: result.failed, ms: result.ms, attempts: result.attempts, refusals: result.refusals });
      process.once('message', () => {
        result.close();
        process.exit(0);
      });
    });
  })();
});
