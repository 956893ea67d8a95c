/**
 * Entry of a bot process (forked by the fleet coordinator): takes its plan, reports once a second,
 * follows the fleet's phases, and exits after its final report — or at once when the coordinator
 * goes away, so no bot outlives its fleet.
 */
import { BotGroup } from './bot-group.js';
import type { FromBots, ToBots } from './sim-ipc.js';

let group: BotGroup | null = null;

const send = (msg: FromBots, then?: () => void): void => {
  if (!process.connected) return then?.();
  process.send!(msg, undefined, {}, () => then?.());
};

process.on('message', (msg: ToBots) => {
  switch (msg.t) {
    case 'plan': {
      if (group !== null) return;
      const g = new BotGroup(msg.plan, (report) => send({ t: 'report', report }));
      group = g;
      g.prepare().then(() => send({ t: 'ready' }), (e: unknown) => {
        process.stderr.write(`switchboard simulator: a bot process could not start: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      });
      return;
    }
    case 'phase':
      if (msg.phase !== 'stopping') return group?.phase(msg.phase);
      void (group?.stop() ?? Promise.resolve(null)).then((report) => {
        if (report === null) return process.exit(0);
        send({ t: 'final', report }, () => process.exit(0));
      });
      return;
  }
});

process.on('disconnect', () => {
  group?.abort();
  process.exit(0);
});
