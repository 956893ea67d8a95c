/**
 * Issue 14, "never hurt by accident": a confirmation dialog opens with focus on Cancel, so Enter,
 * Enter does not kill a node; Tab and Shift+Tab stay inside it; the page behind it is inert; Escape
 * closes it and focus goes back to the button that opened it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi } from './support/console-pages.js';

describe('confirmation dialogs', () => {
  let session: ConsoleSession;
  let ui: ConsoleUi;

  before(async () => {
    session = await ConsoleSession.start({ nodes: 2 });
    ui = new ConsoleUi(session.page);
    await ui.open('Nodes');
  });

  after(async () => {
    await session?.stop();
  });

  // Strings, not functions: the test project has no DOM types, and tsx would wrap a function in helpers the page lacks.
  const focusedText = (): Promise<string> => session.page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
  const focusInDialog = (): Promise<boolean> => session.page.evaluate<boolean>("document.activeElement?.closest('[role=\"dialog\"][aria-modal=\"true\"]') != null");

  it('focuses Cancel, so pressing Enter twice closes the dialog and kills nothing', async () => {
    const page = session.page;
    const pid = await ui.nodes.pid('node-1');
    const kill = ui.nodes.row('node-1').getByRole('button', { name: 'Kill node-1', exact: true });
    await kill.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Kill node-1?' });
    await dialog.waitFor();
    assert.equal(await focusedText(), 'Cancel');
    await page.screenshot({ path: 'test-results/dialog-focus.png' });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focusedText(), 'Kill', 'focus went back to the button that opened it');
    // The second Enter reopens the dialog on the focused Kill button, and closes it again on Cancel.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await ui.nodes.pid('node-1'), pid, 'node-1 is the same process: nothing was killed');
    assert.equal(await ui.nodes.state('node-1'), 'healthy');
  });

  it('keeps Tab and Shift+Tab inside the dialog, leaves the page behind inert, and closes on Escape with focus back on its opener', async () => {
    const page = session.page;
    const kill = ui.nodes.row('node-2').getByRole('button', { name: 'Kill node-2', exact: true });
    await kill.click();
    const dialog = page.getByRole('dialog', { name: 'Kill node-2?' });
    await dialog.waitFor();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInDialog(), `Tab ${i + 1} stays in the dialog`);
      seen.push(await focusedText());
    }
    assert.deepEqual(seen, ['Kill node-2', 'Cancel', 'Kill node-2', 'Cancel', 'Kill node-2']);
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedText(), 'Cancel');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedText(), 'Kill node-2', 'Shift+Tab wraps to the last button');
    const behindInert = await page.evaluate<boolean>("document.querySelector('nav')?.closest('[inert]') != null");
    assert.ok(behindInert, 'the navigation behind the dialog is inert');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate<boolean>("document.querySelector('[inert]') === null"), true, 'nothing is left inert');
    assert.equal(await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null"), 'Kill node-2', 'focus is back on the Kill button of node-2');
  });
});
