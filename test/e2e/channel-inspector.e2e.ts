/**
 * Issue 14, end to end: the channel inspector tailing a busy channel of a real cluster. A paced
 * HTTP API load publishes to one channel at about 1,000 a second (the achieved rate is printed);
 * the inspector shows rows with offset, size and publisher and says that it samples; Pause stops
 * the rows and counts the new ones, and a payload opens pretty-printed and folds again; a JSON-path filter narrows the rows and a bad one is explained;
 * a jump to an offset shows that publication from history, highlighted; the page stays responsive
 * (the long-task time is printed, not asserted); axe finds nothing serious; nothing scrolls
 * sideways at 1,024 px.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually, textOf } from './support/console-pages.js';
import { connectClient, subscribeTo } from '../support/real-clients.js';
import { InspectorPage } from './support/inspector-page.js';
import { PacedPublisher } from './support/paced-publisher.js';
import { assertNoSerious, runAxe } from './support/axe.js';
import { sidewaysOverflow } from './support/layout-probe.js';

const CHANNEL = 'feed:busy';
const RATE = 1000;
const NAMES = ['ann', 'bob', 'cy', 'dee'];
const ofRate = (t: string): number => Number(/ of ([\d,]+)\/s/.exec(t)?.[1]?.replace(/,/g, '') ?? 0);
const shownRate = (t: string): number => Number(/showing ([\d.,]+) of/.exec(t)?.[1]?.replace(/,/g, '') ?? 0);
const payload = (n: number) => ({ n, user: { name: NAMES[n % NAMES.length]! }, tags: n % 2 === 0 ? ['even'] : [], text: `tick ${n}` });

describe('the channel inspector', () => {
  let session: ConsoleSession;
  let inspector: InspectorPage;
  let load: PacedPublisher;

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
    inspector = new InspectorPage(session.page);
    await session.page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    })()`);
    load = new PacedPublisher(session.cluster, CHANNEL, RATE, payload);
  });

  after(async () => {
    await load?.stop();
    await session?.stop();
  });

  it('tails a channel at about 1,000 publications a second with offset, size and publisher, and says it samples', async () => {
    await session.open('Channels');
    await inspector.openByName(CHANNEL);
    load.start();
    const sampling = await eventually(() => inspector.sampling(), (t) => /^sampling: showing [\d.,]+ of [\d,]+\/s/.test(t), 'the sampling indicator', 20_000);
    // The indicator's rate follows the channel's: once the load runs steadily, most of it shows.
    const steady = await eventually(() => inspector.sampling(), (t) => load.published > RATE && ofRate(t) >= load.rate / 2, 'the sampled rate to follow the load', 20_000);
    assert.ok(shownRate(steady) < ofRate(steady), steady);
    const offsets = await eventually(() => inspector.offsets(), (o) => o.length >= 20, 'twenty rows');
    assert.ok(offsets.every((o, i) => i === 0 || o < offsets[i - 1]!), 'newest first, by offset');
    const first = inspector.root.getByTestId('inspector-row').first();
    assert.match(await textOf(first.locator('.offset')), /^#[\d,]+$/);
    assert.match(await textOf(first.locator('.when')), /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.match(await textOf(first.locator('.size')), /^\d+ B$/);
    assert.equal(await textOf(first.locator('.who')), 'HTTP API');
    console.log(`inspector: first "${sampling}", then "${steady}"; publisher so far ${Math.round(load.rate)}/s (${load.published} published, ${load.errors} errors)`);
    await session.shot('issue14-inspector-tailing');
  });

  it('stops the rows on Pause while counting what arrives, and shows it all again on Resume', async () => {
    const before = Date.now();
    await inspector.pauseButton().click();
    await inspector.pauseButton().filter({ hasText: 'Resume' }).waitFor();
    const clickToPaused = Date.now() - before;
    const frozen = await inspector.offsets();
    const counted = await eventually(() => inspector.newWhilePaused(), (t) => /^[\d,]+ new while paused$/.test(t) && parseInt(t.replace(/,/g, ''), 10) > 200, 'new ones counted while paused');
    assert.deepEqual(await inspector.offsets(), frozen, 'rows do not move while paused');
    const longTasks = await session.page.evaluate<number[]>('window.__longTasks');
    console.log(`pause: click to paused ${clickToPaused} ms; "${counted}"; long tasks so far: ${longTasks.length}, ${Math.round(longTasks.reduce((a, b) => a + b, 0))} ms in all, longest ${Math.round(Math.max(0, ...longTasks))} ms`);
    const row = inspector.root.getByTestId('inspector-row').first();
    await row.getByTestId('payload-toggle').press('Enter');
    const full = row.getByTestId('payload-full');
    assert.match((await full.textContent()) ?? '', /^\{\n {2}"n": \d+,\n {2}"user": \{\n {4}"name": /, 'pretty-printed, opened from the keyboard');
    await session.shot('issue14-inspector-paused');
    await row.getByTestId('payload-toggle').click();
    await full.waitFor({ state: 'detached' });
    await inspector.pauseButton().click();
    await eventually(() => inspector.offsets(), (o) => (o[0] ?? 0) > (frozen[0] ?? 0), 'newer rows after Resume');
    assert.equal(await inspector.newWhilePaused(), '');
  });

  it('narrows the rows with a JSON path filter and explains a bad expression under the box', async () => {
    await inspector.filter('$.n >');
    assert.match(await inspector.filterHelp(), /expected a value after >/);
    await inspector.filter('$.user.name == "ann"');
    const shown = await eventually(() => inspector.payloads(), (p) => p.length >= 5, 'rows from ann');
    assert.ok(shown.every((p) => p.includes('"name":"ann"')), `only ann's rows: ${shown.slice(0, 3).join(' | ')}`);
    assert.match(await textOf(inspector.root.getByTestId('inspector-counts')), /match/);
    await session.shot('issue14-inspector-filtered');
    await inspector.filter('');
  });

  it('jumps to an offset still in history and highlights it, and says when one is no longer kept', async () => {
    await load.stop();
    console.log(`publisher: ${load.published} publications at ${Math.round(load.rate)}/s achieved (target ${RATE}/s), ${load.errors} errors`);
    const top = await eventually(() => inspector.offsets(), (o) => o.length > 0, 'rows');
    const wanted = top[0]! - 7;
    await inspector.jumpTo(wanted);
    const target = inspector.target();
    await target.waitFor();
    assert.equal(await target.getAttribute('data-offset'), String(wanted));
    assert.match(await textOf(target), new RegExp(`"n":`));
    assert.equal(await session.page.evaluate<string | null>("document.activeElement?.getAttribute('data-offset') ?? null"), String(wanted), 'the found row takes focus');
    await session.shot('issue14-inspector-jumped');
    // The message fills in once the history page has come back.
    const jumpError = () => textOf(inspector.root.getByTestId('inspector-jump-error'));
    await inspector.jumpTo(1);
    const gone = /^Offset 1 is no longer (in the kept history: the oldest kept is [\d,]+|kept: the history around it is empty)/;
    assert.match(await eventually(jumpError, (t) => gone.test(t), 'the offset said to be no longer kept'), gone);
    await inspector.jumpTo(top[0]! + 1_000_000);
    const ahead = /is not there yet: the stream is at offset/;
    assert.match(await eventually(jumpError, (t) => ahead.test(t), 'the offset said to be ahead of the stream'), ahead);
  });

  it('has no serious accessibility violation and nothing scrolls sideways at 1,024 px', async () => {
    await inspector.jumpTo(1);
    await inspector.filter('$.user.name == ann');
    assertNoSerious(await runAxe(session.page), 'the Channels view with the inspector');
    await inspector.filter('');
    const size = session.page.viewportSize()!;
    await session.page.setViewportSize({ width: 1024, height: size.height });
    try {
      assert.deepEqual(await sidewaysOverflow(session.page), []);
    } finally {
      await session.page.setViewportSize(size);
    }
  });

  it('reads well in the dark theme, with a client publication naming its user', async () => {
    const dark = await ConsoleUi.openIn(session, 'dark');
    await dark.open('Channels');
    const darkInspector = new InspectorPage(dark.page);
    await darkInspector.openByName('chat:inspected');
    const ann = await connectClient(session.cluster, 'ann');
    const { sub } = await subscribeTo(ann.client, 'chat:inspected');
    await sub.publish({ text: 'hello from ann', mood: { happy: true } });
    const row = darkInspector.root.getByTestId('inspector-row').first();
    await row.waitFor();
    assert.match(await textOf(row.locator('.who')), /^ann /);
    assert.match(await darkInspector.sampling(), /^every publication shown/);
    assertNoSerious(await runAxe(dark.page), 'the inspector in the dark theme');
    await dark.shot('issue14-inspector-dark');
    ann.client.disconnect();
  });
});
