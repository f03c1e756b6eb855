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
  await server?.stop();
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

test('products, people and a pinned note on the deal page', async () => {
  const page = await signedInPage(browser, server.base);
  const id = (await board(page))[2].cards[0];
  await openDeal(page, id);

  // A product line: the line total and the products total follow the quantity.
  const lines = await page.locator('[data-testid=line]').count();
  const option = await page.$eval('[data-testid=product-form] select[name=product_id] option:nth-child(2)', (o) => o.value);
  await page.selectOption('[data-testid=product-form] select[name=product_id]', option);
  await page.fill('[data-testid=product-form] input[name=quantity]', '3');
  await page.fill('[data-testid=product-form] input[name=unit_amount]', '100.50');
  await page.click('[data-testid=product-form] button[type=submit]');
  await page.locator('[data-testid=line]').nth(lines).waitFor();
  assert.match(await page.textContent(`[data-testid=line]:nth-child(${lines + 1})`), /301\.50/);
  assert.match(await page.textContent('[data-testid=products-total]'), /\d/);

  // A second person, then made primary: exactly one primary, the new one, listed first.
  const person = await page.$eval('[data-testid=add-person] select option:nth-child(2)', (o) => ({ id: o.value, name: o.textContent }));
  await page.selectOption('[data-testid=add-person] select', person.id);
  await page.click('[data-testid=add-person] button[type=submit]');
  const added = page.locator('[data-testid=person]').filter({ hasText: person.name });
  await added.waitFor();
  await added.getByRole('button', { name: 'make primary' }).click();
  await page.locator('[data-testid=person]').first().filter({ hasText: person.name }).waitFor();
  assert.equal(await page.locator('[data-testid=primary]').count(), 1);

  // A note, pinned: it moves above the timeline.
  await page.fill('[data-testid=note-form] textarea', 'Pinned from the browser');
  await page.click('[data-testid=note-form] button[type=submit]');
  const note = page.locator('[data-testid=note]').filter({ hasText: 'Pinned from the browser' });
  await note.waitFor();
  await note.getByRole('button', { name: 'Pin' }).click();
  await page.locator('[data-testid=pinned-notes] [data-testid=pinned-note]').filter({ hasText: 'Pinned from the browser' }).waitFor();

  // All of it survives a reload.
  await page.reload();
  await page.waitForSelector('[data-testid=deal-form]');
  assert.equal(await page.locator('[data-testid=line]').count(), lines + 1);
  assert.match(await page.textContent('[data-testid=persons] [data-testid=person]:first-child'), new RegExp(person.name));
  assert.equal(await page.locator('[data-testid=pinned-notes] [data-testid=pinned-note]').filter({ hasText: 'Pinned from the browser' }).count(), 1);
  await page.context().close();
});
