// The deal page in a real browser: an edit shows on the board, and a lost deal leaves it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, board, hydrated } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function openDeal(page, id) {
  await Promise.all([page.waitForURL(`${server.base}/deals/${id}`), page.click(`[data-card="${id}"] [data-testid=card-title]`)]);
  await page.waitForSelector('[data-testid=deal-form]');
  await hydrated(page);
}

async function backToBoard(page) {
  await page.goto(`${server.base}/`);
  await page.waitForSelector('[data-testid=board]');
  await hydrated(page);
}

test("editing a deal's value on its page changes the board's total", async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const id = before[1].cards[0];
  await openDeal(page, id);

  await page.fill('[data-testid=deal-form] input[name=value]', '12.345');
  await page.click('[data-testid=deal-form] button[type=submit]');
  await page.getByTestId('deal-error').filter({ hasText: 'more than 2 decimals' }).waitFor();

  await page.fill('[data-testid=deal-form] input[name=value]', '123456.78');
  await page.click('[data-testid=deal-form] button[type=submit]');
  await page.getByTestId('deal-value').filter({ hasText: '123,456.78' }).waitFor();

  await backToBoard(page);
  const after = await board(page);
  assert.notEqual(after[1].total, before[1].total);
  const card = await page.textContent(`[data-card="${id}"] [data-testid=card-value]`);
  assert.match(card, /123,456\.78/);
  await page.context().close();
});

test('a deal marked lost with a reason leaves the open board', async () => {
  const page = await signedInPage(browser, server.base);
  const before = await board(page);
  const id = before[0].cards[0];
  await openDeal(page, id);
  const reasons = await page.$$eval('[data-testid=lost-form] select[name=reason] option', (o) => o.map((x) => x.value).filter(Boolean));
  assert.ok(reasons.length > 0, 'the demo account has lost reasons');
  await page.selectOption('[data-testid=lost-form] select[name=reason]', reasons[0]);
  await page.click('[data-testid=lost-form] button[type=submit]');
  await page.getByTestId('deal-status').filter({ hasText: 'lost' }).waitFor();
  assert.match(await page.textContent('[data-testid=outcome]'), new RegExp(reasons[0]));

  await backToBoard(page);
  const after = await board(page);
  assert.ok(!after[0].cards.includes(id), 'gone from the open board');
  assert.equal(after[0].count, before[0].count - 1);
  await page.goto(`${server.base}/?status=lost`);
  await page.waitForSelector('[data-testid=board]');
  assert.ok((await board(page))[0].cards.includes(id), 'listed among lost deals');
  await page.context().close();
});
