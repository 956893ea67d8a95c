/**
 * Page objects of the console, one small class per view. They find things the way a user does
 * (roles, accessible names) or by the views' test ids, and every wait is bounded: Playwright's
 * locator waits (the page's default timeout) or `eventually`, which names what it waited for and
 * the last value it read.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { waitFor } from '../../support/test-cluster.js';
import { saveShot } from './console-session.js';
import type { ConsoleSession } from './console-session.js';

export type ViewName = 'Overview' | 'Nodes' | 'Connections' | 'Channels' | 'Broadcast' | 'Events' | 'Simulator' | 'Audit';

/** "2,013 connections on 3 nodes" → 2013: the first number of a text, thousands separators dropped. */
export function leadingNumber(text: string): number {
  const m = /\d[\d,]*/.exec(text);
  if (!m) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(m[0].replace(/,/g, ''));
}

/** Reads until `check` holds; fails with `what` and the last value read. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  let last: T | undefined;
  try {
    await waitFor(async () => check(last = await read()), { timeoutMs, intervalMs: 50, what });
  } catch (e) {
    throw new Error(`${(e as Error).message} (last read: ${JSON.stringify(last)})`, { cause: e });
  }
  return last!;
}

/** The trimmed text of a locator, '' when it is not there (yet). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.count()) === 0 ? '' : ((await locator.first().textContent()) ?? '')).replace(/\s+/g, ' ').trim();
}

/** The shell: navigation, the admin link, toasts, screenshots. Works on any page of the console. */
export class ConsoleUi {
  readonly overview: OverviewPage;
  readonly nodes: NodesPage;
  readonly connections: ConnectionsPage;
  readonly channels: ChannelsPage;
  readonly broadcast: BroadcastPage;
  readonly events: EventsPage;

  constructor(readonly page: Page) {
    this.overview = new OverviewPage(page);
    this.nodes = new NodesPage(page);
    this.connections = new ConnectionsPage(page);
    this.channels = new ChannelsPage(page);
    this.broadcast = new BroadcastPage(page);
    this.events = new EventsPage(page);
  }

  /** A second page of the same console in a context of its own with the given colour scheme (closed with the browser). */
  static async openIn(session: ConsoleSession, colorScheme: 'light' | 'dark'): Promise<ConsoleUi> {
    const context = await session.browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme });
    return ConsoleUi.openInContext(session, context);
  }

  /** The console in a page of the given context, once its admin link is connected. */
  static async openInContext(session: ConsoleSession, context: BrowserContext): Promise<ConsoleUi> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(session.cluster.handle.consoleUrl);
    const ui = new ConsoleUi(page);
    await ui.linkStatus().filter({ hasText: 'Connected' }).waitFor();
    return ui;
  }

  linkStatus(): Locator {
    return this.page.getByTestId('link-status');
  }

  /** Opens a view through the sidebar and waits for its heading. */
  async open(view: ViewName): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: view }).waitFor();
  }

  /** Waits for a success toast containing `text`. */
  async toast(text: string | RegExp): Promise<string> {
    const t = this.page.locator('.toast').filter({ hasText: text });
    await t.first().waitFor();
    return textOf(t);
  }

  /** Saves a screenshot of the whole view under test-results/screenshots/. */
  shot(name: string): Promise<string> {
    return saveShot(this.page, name);
  }
}

export class OverviewPage {
  constructor(private readonly page: Page) {}

  tile(id: 'nodes' | 'connections' | 'users' | 'channels'): Locator {
    return this.page.getByTestId(`tile-${id}`);
  }

  /** The tile's figure as shown ("3 / 3", "1,204"). */
  tileText(id: 'nodes' | 'connections' | 'users' | 'channels'): Promise<string> {
    return textOf(this.tile(id));
  }

  /** Waits until the tile shows exactly `expected`. */
  waitForTile(id: 'nodes' | 'connections' | 'users' | 'channels', expected: string): Promise<string> {
    return eventually(() => this.tileText(id), (t) => t === expected, `the ${id} tile to show ${expected}`);
  }
}

export class NodesPage {
  constructor(private readonly page: Page) {}

  /** One per node: a row, or in the compact table a row of figures and a row of actions. */
  rows(): Locator {
    return this.page.locator('[data-testid^="node-row-"]');
  }

  row(node: string): Locator {
    return this.page.getByTestId(`node-row-${node}`);
  }

  /** The heading of one supervisor's nodes (shown when several supervisors share the engine). */
  group(supervisor: string): Locator {
    return this.page.getByTestId(`supervisor-group-${supervisor}`);
  }

  /** Supervisor headings in table order. */
  groupIds(): Promise<string[]> {
    return this.page.locator('[data-testid^="supervisor-group-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-supervisor') ?? ''));
  }

  /** The supervisor heading a node's row sits under ('' in a flat table). */
  async groupOf(node: string): Promise<string> {
    return (await this.row(node).getAttribute('data-supervisor')) ?? '';
  }

  /** One figure of the engine tile as shown ("Redis", "0.4 ms", "—"). */
  engineFigure(key: 'kind' | 'address' | 'link' | 'rtt' | 'reconnects' | 'heard'): Promise<string> {
    return textOf(this.page.getByTestId('engine-tile').getByTestId(`engine-${key}`));
  }

  /** Node ids in table order. */
  async ids(): Promise<string[]> {
    const ids = await this.rows().evaluateAll((trs) => trs.map((tr) => (tr.getAttribute('data-testid') ?? '').replace('node-row-', '')));
    return ids;
  }

  state(node: string): Promise<string> {
    return textOf(this.row(node).getByTestId('node-state'));
  }

  pid(node: string): Promise<string> {
    return textOf(this.row(node).getByTestId('node-pid'));
  }

  restarts(node: string): Promise<string> {
    return textOf(this.row(node).getByTestId('node-restarts'));
  }

  async connections(node: string): Promise<number> {
    return leadingNumber(await textOf(this.row(node).getByTestId('node-connections')));
  }

  /** Connections per node as the table shows them. */
  async connectionsByNode(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const id of await this.ids()) out[id] = await this.connections(id);
    return out;
  }

  /**
   * Records every state the node's badge shows from now on (a MutationObserver in the page, so a
   * state shown for one snapshot is not missed between two polls). Call `seen()` for the list.
   */
  async recordStates(node: string): Promise<{ seen(): Promise<string[]> }> {
    const key = `__states_${node.replace(/\W/g, '_')}`;
    const badge = JSON.stringify(`[data-testid="node-row-${node}"] [data-testid="node-state"]`);
    // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
    await this.page.evaluate(`(() => {
      const seen = (window[${JSON.stringify(key)}] = []);
      const note = () => {
        const state = document.querySelector(${badge})?.textContent ?? '';
        if (state !== '' && seen[seen.length - 1] !== state) seen.push(state);
      };
      note();
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    return { seen: () => this.page.evaluate<string[]>(`[...window[${JSON.stringify(key)}]]`) };
  }

  /** Picks a routing strategy in the header, once the control takes input (it waits for the snapshot after each change). */
  async setRouting(strategy: 'least-connections' | 'round-robin' | 'sticky'): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Routing strategy' }).selectOption(strategy);
  }

  /** Kills a node the way an operator does: its "Kill" button, then the confirmation dialog. */
  async kill(node: string): Promise<void> {
    await this.row(node).getByRole('button', { name: `Kill ${node}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `Kill ${node}?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: `Kill ${node}`, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}

export class ConnectionsPage {
  constructor(private readonly page: Page) {}

  scroller(): Locator {
    return this.page.getByTestId('conn-scroll');
  }

  rows(): Locator {
    return this.page.getByTestId('conn-row');
  }

  row(client: string): Locator {
    return this.page.locator(`[data-testid="conn-row"][data-client="${client}"]`);
  }

  /** The Supervisor cell of a connection's row ('' when the table has no such column). */
  supervisorOf(client: string): Promise<string> {
    return textOf(this.row(client).getByTestId('conn-supervisor'));
  }

  /** "2,013 connections" or "10 of 2,013 matches". */
  total(): Promise<string> {
    return textOf(this.page.getByTestId('conn-total'));
  }

  /** The rendered rows: their offset in the result, client id and user, in DOM order. */
  rendered(): Promise<{ index: number; client: string; user: string }[]> {
    return this.rows().evaluateAll((trs) => trs.map((tr) => ({
      index: Number(tr.getAttribute('data-index')),
      client: tr.getAttribute('data-client') ?? '',
      user: (tr.querySelector('.c-user')?.textContent ?? '').trim(),
    })));
  }

  /** Rows of any kind in the table body (rows, placeholders, spacers): what the DOM holds. */
  domRowCount(): Promise<number> {
    return this.scroller().locator('tbody tr').count();
  }

  /** Scrolls the table so the row at `index` is at the top. */
  async scrollToRow(index: number, rowHeight = 36): Promise<void> {
    await this.scroller().evaluate((el, top) => { (el as unknown as { scrollTop: number }).scrollTop = top; }, index * rowHeight);
  }

  /** Types into the User filter and waits for the total to say it is filtered. */
  async filterByUser(user: string): Promise<void> {
    await this.page.getByRole('search', { name: 'Filter connections' }).getByLabel('User', { exact: true }).fill(user);
    await eventually(() => this.total(), (t) => t.includes('match'), `the table filtered by user ${user}`);
  }

  /** Opens the detail drawer of a connection by clicking its row. */
  async openDrawer(client: string): Promise<Locator> {
    await this.row(client).locator('.c-client').click();
    const drawer = this.page.getByRole('dialog', { name: `Connection ${client}` });
    await drawer.waitFor();
    await drawer.getByText('Loading…').waitFor({ state: 'detached' });
    return drawer;
  }

  /** Kicks one connection from its row: Kick, "This connection", no reconnect, confirm. */
  async kick(client: string, reason: string): Promise<void> {
    await this.row(client).getByRole('button', { name: `Kick ${client}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Kick this connection?' });
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill(reason);
    const reconnect = dialog.getByRole('checkbox', { name: 'Let it reconnect' });
    if (await reconnect.isChecked()) await reconnect.uncheck();
    await dialog.getByRole('button', { name: 'Kick connection · stays out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}

export class ChannelsPage {
  constructor(private readonly page: Page) {}

  row(channel: string): Locator {
    return this.page.locator(`[data-testid="channel-row"][data-channel="${channel}"]`);
  }

  detail(channel: string): Locator {
    return this.page.locator(`[data-testid="channel-detail"][data-channel="${channel}"]`);
  }

  /** Opens a channel from the list (it is listed once the 2-second refresh sees a subscriber). */
  async openChannel(channel: string): Promise<Locator> {
    await this.row(channel).click({ timeout: 15_000 });
    const detail = this.detail(channel);
    await eventually(() => textOf(detail.getByTestId('channel-subscribers')), (t) => /\d/.test(t), `the detail of ${channel}`);
    return detail;
  }

  member(channel: string, client: string): Locator {
    return this.detail(channel).locator(`[data-testid="presence-member"][data-client="${client}"]`);
  }

  members(channel: string): Locator {
    return this.detail(channel).getByTestId('presence-member');
  }

  typing(channel: string, user: string): Locator {
    return this.detail(channel).locator(`[data-testid="typing-indicator"][data-user="${user}"]`);
  }
}

export class BroadcastPage {
  constructor(private readonly page: Page) {}

  private composer(): Locator {
    return this.page.getByRole('region', { name: 'Compose a broadcast' });
  }

  /** Picks the audience; `targets` fills the channels (or user ids) box. */
  async audience(kind: 'Everyone' | 'Channels' | 'Users', targets?: string): Promise<void> {
    await this.composer().getByRole('radiogroup', { name: 'Audience' }).getByRole('radio', { name: kind, exact: true }).click();
    if (targets !== undefined) {
      await this.composer().getByRole('textbox', { name: kind === 'Channels' ? 'Channels' : 'User ids', exact: true }).fill(targets);
    }
  }

  /** Writes the message as JSON and waits for the composer to accept it. */
  async json(value: unknown): Promise<void> {
    await this.composer().getByRole('radiogroup', { name: 'Format' }).getByRole('radio', { name: 'JSON', exact: true }).click();
    await this.composer().getByLabel('Message', { exact: true }).fill(JSON.stringify(value));
    const hint = this.composer().getByTestId('broadcast-message-hint');
    await eventually(async () => `${await hint.getAttribute('class')}: ${await textOf(hint)}`, (t) => !t.includes('form-error'), 'the JSON message to be accepted');
  }

  /** The dry run: "Preview reach", then the reach it shows ("3 connections on 2 nodes"). */
  async previewReach(): Promise<string> {
    await this.composer().getByRole('button', { name: 'Preview reach', exact: true }).click();
    const reach = this.composer().getByTestId('broadcast-reach');
    await reach.waitFor();
    return textOf(reach);
  }

  /** "Send…", then the confirmation ("Send to N connections"); answers the reach the dialog showed. */
  async send(): Promise<string> {
    await this.composer().getByRole('button', { name: 'Send…', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Send this broadcast?' });
    await dialog.waitFor();
    const reach = await textOf(dialog.getByTestId('broadcast-confirm-reach'));
    await dialog.getByRole('button', { name: /^Send to / }).click();
    await dialog.waitFor({ state: 'detached' });
    return reach;
  }

  records(): Locator {
    return this.page.getByTestId('broadcast-record');
  }

  /** The confirmation of the last send, under the composer. */
  sentNotice(): Locator {
    return this.composer().getByTestId('broadcast-sent');
  }

  /** Per-user reach of the dry run, with a line per user id that has no connection. */
  userReach(): Locator {
    return this.composer().getByTestId('broadcast-user-reach');
  }

  /** What the composer holds now: the targets box (when shown), the message, and whether Send… is enabled. */
  async state(kind: 'Channels' | 'Users'): Promise<{ targets: string; message: string; canSend: boolean }> {
    return {
      targets: await this.composer().getByRole('textbox', { name: kind === 'Channels' ? 'Channels' : 'User ids', exact: true }).inputValue(),
      message: await this.composer().getByLabel('Message', { exact: true }).inputValue(),
      canSend: await this.composer().getByRole('button', { name: 'Send…', exact: true }).isEnabled(),
    };
  }
}

export class EventsPage {
  constructor(private readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('event-row');
  }

  async filterByUser(user: string): Promise<void> {
    await this.page.getByRole('search', { name: 'Filter events' }).getByRole('searchbox', { name: 'User', exact: true }).fill(user);
    await eventually(() => textOf(this.page.getByTestId('events-count')), (t) => t.includes(' of '), `the events filtered by user ${user}`);
  }

  /** The rendered rows: type and user. */
  rendered(): Promise<{ type: string; user: string }[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => ({
      type: r.getAttribute('data-type') ?? '',
      user: (r.querySelector('.ev-user')?.textContent ?? '').trim(),
    })));
  }
}
