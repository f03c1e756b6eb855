// The keyboard shortcuts list on `?` (and its footer button), `/` to the board's search, and a
// board that shows many cards per screen: compact cards, the quick add folded until asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('? lists the shortcuts, Escape closes them, / jumps to the search', async () => {
  const page = await signedInPage(browser, server.base);
  await hydrated(page);
  const list = page.getByTestId('shortcuts');
  assert.equal(await list.isVisible(), false, 'hidden until asked for');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await list.waitFor({ state: 'visible' });
  const text = await list.innerText();
  assert.match(text, /Keyboard shortcuts/);
  assert.match(text, /pick up the focused card/);
  await page.keyboard.press('Escape');
  await list.waitFor({ state: 'hidden' });

  // Typing `?` into a field is typing, not a shortcut.
  await page.focus('input[name=q]');
  await page.keyboard.type('who?');
  assert.equal(await page.inputValue('input[name=q]'), 'who?');
  assert.equal(await list.isVisible(), false);
  await page.locator('input[name=q]').fill('');

  // `/` from anywhere else lands in the search field.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'q');

  // The footer button opens the same list, for those who do not know the key.
  await page.getByTestId('shortcuts-open').click();
  await list.waitFor({ state: 'visible' });
  await page.getByTestId('shortcuts-close').click();
  await list.waitFor({ state: 'hidden' });
  await page.context().close();
});

test('cards are compact and the quick add stays folded until opened', async () => {
  const page = await signedInPage(browser, server.base, { viewport: { width: 1440, height: 900 } });
  await hydrated(page);
  const heights = await page.$$eval('[data-testid=card]', (cards) => cards.map((c) => c.getBoundingClientRect().height));
  assert.ok(heights.length > 5, 'the demo board has cards');
  const tallest = Math.max(...heights);
  // A title of up to two lines with the owner and the move menu beside it, the value with the
  // contact, and one line of badges.
  assert.ok(tallest <= 108, `the tallest card is ${tallest}px`);
  const add = page.getByTestId('quick-add').first();
  assert.equal(await add.locator('input[name=title]').isVisible(), false, 'folded');
  await add.locator('summary').click();
  await add.locator('input[name=title]').fill('Folded form deal');
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/quick_add_deal'));
  await add.locator('button[type=submit]').click();
  assert.equal((await saved).status(), 200);
  await page.getByRole('link', { name: 'Folded form deal' }).waitFor();
  await page.context().close();
});
