// The pipeline board in a real browser: login, drags that persist, and rollback on failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, signedInPage, board, dragCard, hydrated, DEMO, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('login with a wrong password shows an error, the right one opens the board', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForURL(/\/login/);
  await hydrated(page);
  await page.fill('input[name=email]', DEMO.email);
  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  await page.getByRole('alert').filter({ hasText: 'wrong e-mail or password' }).waitFor();
  assert.match(page.url(), /\/login/);
  await page.fill('input[name=password]', DEMO.password);
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button[type=submit]')]);
  await page.waitForSelector('[data-testid=board]');
  assert.equal(await page.textContent('[data-testid=pipeline-name]'), 'Sales');
  assert.match(await page.textContent('[data-testid=current-user]'), /Demo/);
  const cols = await board(page);
  assert.equal(cols.length, 5);
  assert.ok(cols[0].cards.length >= 2, 'the demo fills the first stage');
  await context.close();
});

test('a card dragged from the first stage to the top of the third stays there after reload', async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const moved = before[0].cards[0];
  const oldTop = before[2].cards[0];
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await dragCard(page, moved, before[2].id, oldTop);
  assert.equal((await saved).status(), 200);

  const now = await board(page);
  assert.deepEqual(now[2].cards, [moved, ...before[2].cards], 'placed at the top at once');
  assert.deepEqual(now[0].cards, before[0].cards.slice(1));

  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  await hydrated(page);
  const after = await board(page);
  assert.deepEqual(after[2].cards, [moved, ...before[2].cards], 'persisted in that order');
  assert.deepEqual(after[0].cards, before[0].cards.slice(1));
  assert.equal(after[0].count, before[0].count - 1);
  assert.equal(after[2].count, before[2].count + 1);
  assert.notEqual(after[0].total, before[0].total, 'source total changed');
  assert.notEqual(after[2].total, before[2].total, 'target total changed');
  assert.notEqual(after[2].weighted, before[2].weighted, 'target weighted value changed');
  await page.context().close();
});

test('reordering within a stage persists', async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const col = before[1];
  assert.ok(col.cards.length >= 3, 'needs three cards');
  // The third card goes above the first.
  const third = col.cards[2];
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await dragCard(page, third, col.id, col.cards[0]);
  assert.equal((await saved).status(), 200);
  const expected = [third, col.cards[0], col.cards[1], ...col.cards.slice(3)];
  assert.deepEqual((await board(page))[1].cards, expected);

  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  const after = await board(page);
  assert.deepEqual(after[1].cards, expected);
  assert.equal(after[1].count, col.count, 'count unchanged');
  assert.equal(after[1].total, col.total, 'total unchanged');
  await page.context().close();
});

test('the move menu moves a card without a mouse', async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const card = before[3].cards[before[3].cards.length - 1] ?? before[1].cards[0];
  const col = before.findIndex((c) => c.cards.includes(card));
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await page.selectOption(`[data-card="${card}"] [data-testid=move-menu]`, `stage:${before[4].id}`);
  assert.equal((await saved).status(), 200);
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  const after = await board(page);
  assert.equal(after[4].cards.at(-1), card, 'at the end of the last stage');
  assert.ok(!after[col].cards.includes(card));
  await page.context().close();
});

test('a move that cannot be saved rolls the card back and says why', async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  // The session ends in another tab, so the next save is refused by the server.
  const other = await page.context().newPage();
  await other.goto(`${server.base}/`);
  await hydrated(other);
  await Promise.all([other.waitForURL(/\/login/), other.click('text=Log out')]);
  await page.bringToFront();

  const moved = before[0].cards[0];
  const failed = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await dragCard(page, moved, before[2].id, before[2].cards[0]);
  assert.equal((await failed).status(), 401);
  await page.getByTestId('board-error').waitFor();
  assert.match(await page.textContent('[data-testid=board-error]'), /not saved/);
  const after = await board(page);
  assert.deepEqual(after[0].cards, before[0].cards, 'back where it was');
  assert.deepEqual(after[2].cards, before[2].cards);
  assert.equal(after[0].total, before[0].total);
  await page.context().close();
});

test("the move menu sends a card to another pipeline's stage, and the deal page can too", async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const id = before[0].cards[0];
  const menu = page.locator(`[data-card="${id}"] [data-testid=move-menu]`);
  const option = menu.locator('optgroup[label="Partnerships"] option').first();
  const stage = (await option.textContent()).replace(/^To /, '').trim();
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await menu.selectOption(await option.getAttribute('value'));
  assert.equal((await saved).status(), 200);
  await page.locator(`[data-card="${id}"]`).waitFor({ state: 'detached' });
  assert.equal((await board(page))[0].count, before[0].count - 1, 'the column counts one less');

  // On the Partnerships board, in that stage; and its page moves it back.
  await Promise.all([page.waitForURL(/\/pipelines\/\d+/), page.getByRole('link', { name: 'Partnerships' }).click()]);
  await page.waitForSelector(`[data-card="${id}"]`);
  const column = page.locator('[data-testid=column]', { has: page.locator(`[data-card="${id}"]`) });
  assert.match(await column.textContent(), new RegExp(stage));
  await page.goto(`${server.base}/deals/${id}`);
  await hydrated(page);
  await page.click('[data-testid=pipeline-move] summary');
  await page.selectOption('[data-testid=pipeline-move] select', String(before[0].id));
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=pipeline-move] button[type=submit]')]);
  await page.goto(`${server.base}/`);
  await page.waitForSelector('[data-testid=board]');
  assert.ok((await board(page))[0].cards.includes(id), 'back in the first stage of the primary pipeline');
  await page.context().close();
});

test('the board exports the deals it shows as CSV', async () => {
  const page = await signedInPage(browser, server.base);
  const shown = (await board(page)).reduce((n, c) => n + c.count, 0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
  assert.equal(download.suggestedFilename(), 'deals.csv');
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines[0].split(',')[1], 'title');
  assert.equal(lines.length, shown + 1, 'a header and each deal the board shows');
  await page.context().close();
});
