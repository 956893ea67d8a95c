/**
 * The Simulator view's page object: the start form (found by its labels, as a user finds it), the
 * run's state, the fleet's counts and the cluster's figures beside them. Every wait is bounded.
 */
import type { Locator, Page } from 'playwright-core';
import { ConsoleUi, eventually, leadingNumber, textOf } from './console-pages.js';
import type { ConsoleSession } from './console-session.js';

export type SimFieldLabel = 'Clients' | 'Channels' | 'Rate' | 'Ramp-up' | 'Duration';
export type SimTile = 'sent' | 'received' | 'lost' | 'duplicated' | 'out-of-order' | 'recovered';

export class SimulatorPage {
  constructor(readonly page: Page) {}

  form(): Locator {
    return this.page.getByRole('form', { name: 'Start a fleet' });
  }

  /** Picks a profile (its radio is named by the profile, then its one-line explanation). */
  async profile(name: 'chat' | 'feed' | 'flaky' | 'slow'): Promise<void> {
    const radio = this.form().getByRole('radiogroup', { name: 'Profile' }).getByRole('radio', { name: new RegExp(`^${name}\\b`) });
    await radio.click();
    await eventually(() => radio.getAttribute('aria-checked'), (v) => v === 'true', `the ${name} profile to be picked`);
  }

  /** Types into the form's fields, as labelled. */
  async fill(values: Partial<Record<SimFieldLabel, string>>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.form().getByLabel(label, { exact: true }).fill(value);
  }

  /** The inline error under a field ('' when there is none). */
  fieldError(field: 'clients' | 'channels' | 'rate' | 'ramp' | 'duration'): Promise<string> {
    return textOf(this.page.getByTestId(`sim-error-${field}`));
  }

  startButton(): Locator {
    return this.form().getByRole('button', { name: /^(Start fleet|Starting…)$/ });
  }

  /** The form's one-line plan ("20 bots in 1 bot process · …"). */
  plan(): Promise<string> {
    return textOf(this.page.getByTestId('sim-plan'));
  }

  /** Why the last start was refused ('' when it was not). */
  refusal(): Promise<string> {
    return textOf(this.page.getByTestId('sim-refusal'));
  }

  /** The run shown below the form: its id ('' when none yet). */
  async runId(): Promise<string> {
    const run = this.page.getByTestId('sim-run');
    return (await run.count()) === 0 ? '' : ((await run.getAttribute('data-run')) ?? '');
  }

  state(): Promise<string> {
    return textOf(this.page.getByTestId('sim-state'));
  }

  /** Waits until the run shows one of `states`; answers the state shown. */
  waitForState(states: string[], timeoutMs = 15_000): Promise<string> {
    return eventually(() => this.state(), (s) => states.includes(s), `the run to be ${states.join(' or ')}`, timeoutMs);
  }

  /** A delivery tile's figure (the first number for "recovered / not"). */
  async count(tile: SimTile): Promise<number> {
    return leadingNumber(await textOf(this.page.getByTestId(`sim-${tile}`)));
  }

  /** Whether a tile is highlighted ('bad' or 'warn'), '' when it is not. */
  async tone(tile: SimTile): Promise<string> {
    const value = this.page.getByTestId(`sim-${tile}`);
    return (await value.locator('xpath=..').getAttribute('data-tone')) ?? '';
  }

  /** The fleet's own count and the cluster's figure beside it (NaN while the console shows "—"). */
  async pair(metric: 'connections' | 'subscriptions'): Promise<{ fleet: number; console: number; verdict: string }> {
    const num = async (id: string): Promise<number> => {
      const t = await textOf(this.page.getByTestId(id));
      return /\d/.test(t) ? leadingNumber(t) : Number.NaN;
    };
    return {
      fleet: await num(`sim-fleet-${metric}`),
      console: await num(`sim-console-${metric}`),
      verdict: await textOf(this.page.getByTestId(`sim-verdict-${metric}`)),
    };
  }

  async stop(): Promise<void> {
    await this.page.getByTestId('sim-run').getByRole('button', { name: 'Stop fleet', exact: true }).click();
  }
}

/**
 * A second console whose admin link has not heard of the running fleet: `simulator` pushes are
 * dropped and `simulator.status` answers null, as for a console in the second before the first
 * push. Everything else passes through, so its Start reaches the real cluster.
 */
export async function openUnawareConsole(session: ConsoleSession): Promise<ConsoleUi> {
  const context = await session.browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: 'light' });
  await context.routeWebSocket(/\/admin(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const req = typeof message === 'string' ? (JSON.parse(message) as { id?: number; method?: string }) : {};
      if (req.method === 'simulator.status') return ws.send(JSON.stringify({ id: req.id, result: null }));
      server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string' && message.startsWith('{"push":"simulator"')) return;
      ws.send(message);
    });
  });
  return ConsoleUi.openInContext(session, context);
}
