/**
 * Entry of the fleet process the supervisor forks for `simulator.start`: runs one Fleet, forwards
 * its status once a second, and exits after the final one. If the supervisor goes away, the fleet
 * stops (its bot processes with it) and the process exits.
 */
import { Fleet } from './fleet.js';
import type { FromFleet, ToFleet } from './sim-ipc.js';

let fleet: Fleet | null = null;

const send = (msg: FromFleet, then?: () => void): void => {
  if (!process.connected) return then?.();
  process.send!(msg, undefined, {}, () => then?.());
};

const over = (state: string): boolean => state === 'finished' || state === 'failed';

process.on('message', (msg: ToFleet) => {
  switch (msg.t) {
    case 'start': {
      if (fleet !== null) return;
      const f = new Fleet({
        id: msg.id, params: msg.params, target: msg.target,
        // The final status goes out below, before the exit.
        onStatus: (status) => { if (!over(status.state)) send({ t: 'status', status }); },
      });
      fleet = f;
      void f.done.then((status) => send({ t: 'status', status }, () => process.exit(0)));
      void f.start();
      return;
    }
    case 'stop':
      if (fleet === null) return process.exit(0);
      void fleet.stop();
      return;
  }
});

process.on('disconnect', () => {
  void (fleet?.stop() ?? Promise.resolve()).then(() => process.exit(0));
});
