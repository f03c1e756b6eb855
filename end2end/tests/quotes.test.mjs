// Quotes in a real browser: a quote written by hand on the deal page, sent, and accepted by the
// client on the portal without signing in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, board, hydrated, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('a quote written by hand is sent and accepted on the portal', async () => {
  const page = await signedInPage(browser, server.base);
  page.on('dialog', (d) => d.accept());
  const id = (await board(page))[0].cards[0];
  await page.goto(`${server.base}/deals/${id}`);
  await page.waitForSelector('[data-testid=quotes]');
  await hydrated(page);

  await page.click('[data-testid=quote-hand] summary');
  const rows = page.getByTestId('quote-item-row');
  await page.click('[data-testid=quote-add-row]');
  await page.click('[data-testid=quote-add-row]');
  assert.equal(await rows.count(), 3);
  await rows.nth(1).getByRole('button', { name: 'Remove this row' }).click();
  assert.equal(await rows.count(), 2);
  const fill = async (n, name, unit, qty, discount) => {
    await rows.nth(n).locator('input[name$="[product_name]"]').fill(name);
    await rows.nth(n).locator('input[name$="[unit_price]"]').fill(unit);
    await rows.nth(n).locator('input[name$="[quantity]"]').fill(qty);
    await rows.nth(n).locator('input[name$="[discount_pct]"]').fill(discount);
  };
  await fill(0, 'Consulting', '100', '3', '12.5');
  await fill(1, 'Travel', '49.99', '1', '');
  await page.fill('[data-testid=quote-form] input[name=shipping]', '10');
  await page.click('[data-testid=quote-create]');
  // 262.50 + 49.99 + 10.00
  const row = page.getByTestId('quote-row').filter({ hasText: '322.49' });
  await row.waitFor();

  await row.getByTestId('quote-send').click();
  await page.getByTestId('quote-row').filter({ hasText: 'Sent' }).waitFor();

  await Promise.all([page.waitForURL(/\/quotes\/\d+$/), page.getByTestId('quote-row').first().locator('a').click()]);
  await page.waitForSelector('[data-testid=quote-document]');
  await hydrated(page);
  const link = await page.inputValue('[data-testid=quote-portal-link]');
  assert.match(link, /\/q\/[0-9a-f]{64}$/);

  const client = await browser.newContext();
  const portal = await client.newPage();
  portal.on('dialog', (d) => d.accept());
  await portal.goto(link);
  await portal.waitForSelector('[data-testid=portal-actions]');
  await hydrated(portal);
  assert.equal(await portal.locator('header nav').count(), 0, 'no app frame');
  await portal.click('[data-testid=portal-accept]');
  await portal.getByTestId('portal-answered').waitFor();
  await portal.getByTestId('quote-status').filter({ hasText: 'Accepted' }).waitFor();
  await client.close();

  await page.reload();
  await page.getByTestId('quote-status').filter({ hasText: 'Accepted' }).waitFor();
  assert.match(await page.textContent('[data-testid=quote-views]'), /Viewed 1 time/);
  await page.context().close();
});

test("a quote made from the deal's products copies them, and a draft's items can be edited", async () => {
  const page = await signedInPage(browser, server.base);
  page.on('dialog', (d) => d.accept());
  const id = (await board(page))[1].cards[0];
  await page.goto(`${server.base}/deals/${id}`);
  await page.waitForSelector('[data-testid=quotes]');
  await hydrated(page);

  const products = await page.$$eval('[data-testid=product-form] select[name=product_id] option', (o) => o.map((x) => x.value).filter(Boolean));
  const lines = await page.getByTestId('line').count();
  await page.selectOption('[data-testid=product-form] select[name=product_id]', products[0]);
  await page.fill('[data-testid=product-form] input[name=quantity]', '2');
  await page.click('[data-testid=product-form] button[type=submit]');
  // The deal may have lines already: wait for the new one (and the total that counts it).
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=line]').length === n + 1, lines);
  const total = (await page.textContent('[data-testid=products-total]')).trim();

  const before = await page.getByTestId('quote-row').count();
  await page.click('[data-testid=quote-create-from-deal]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=quote-row]').length === n + 1, before);
  const row = page.getByTestId('quote-row').first();
  assert.ok((await row.textContent()).includes(total), `the quote's total is the products' total ${total}`);

  await Promise.all([page.waitForURL(/\/quotes\/\d+$/), row.locator('a').click()]);
  await page.waitForSelector('[data-testid=quote-document]');
  await hydrated(page);
  await page.click('[data-testid=quote-edit] summary');
  const rows = page.getByTestId('quote-item-row');
  const count = await rows.count();
  await rows.nth(count - 1).locator('input[name$="[unit_price]"]').fill('1000');
  await rows.nth(count - 1).locator('input[name$="[quantity]"]').fill('1');
  await rows.nth(count - 1).locator('input[name$="[discount_pct]"]').fill('10');
  await page.click('[data-testid=quote-edit-form] button[type=submit]');
  await page.getByTestId('quote-item').filter({ hasText: '900.00' }).waitFor();

  await page.click('[data-testid=quote-lost]');
  await page.getByTestId('quote-status').filter({ hasText: 'Lost' }).waitFor();
  assert.equal(await page.getByTestId('quote-edit').count(), 0, 'no editing once lost');
  await page.context().close();
});
