// The deal table: filters and column order from its controls, a saved view (shared) that
// opens the table as it was saved, and the same view applied on the board.
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

test('a saved view is applied on the table and on the board', async () => {
  const page = await signedInPage(browser, server.base);
  await Promise.all([page.waitForURL(/\/deals$/), page.getByRole('link', { name: 'Deals', exact: true }).click()]);
  await hydrated(page);
  const filters = page.getByTestId('table-filters');
  await filters.locator('select[name=status]').selectOption('won');
  await Promise.all([page.waitForURL(/status=won/), filters.getByRole('button', { name: 'Apply' }).click()]);
  await hydrated(page);
  const statuses = await page.locator('[data-testid=deal-row] td[data-column=status]').allInnerTexts();
  assert.ok(statuses.length > 0, 'the demo has won deals');
  assert.ok(statuses.every((s) => s.trim() === 'Won'), statuses.join(', '));

  // Order by value, highest first (two clicks on the heading).
  await Promise.all([page.waitForURL(/sort=value&dir=asc/), page.locator('[data-testid=sort-link][data-column=value]').click()]);
  await Promise.all([page.waitForURL(/sort=value&dir=desc/), page.locator('[data-testid=sort-link][data-column=value]').click()]);
  await hydrated(page);
  assert.equal(await page.locator('th[aria-sort=descending]').count(), 1);

  // Save it, shared with the team.
  await page.getByTestId('save-view').locator('summary').click();
  await page.getByTestId('save-view').locator('input[name=name]').fill('Won deals');
  await page.getByTestId('save-view').locator('input[name=shared]').check();
  await page.getByTestId('save-view').getByRole('button', { name: 'Save view' }).click();
  const link = page.getByTestId('view-link').filter({ hasText: 'Won deals' });
  await link.waitFor();

  // Elsewhere, the view brings the table back as saved.
  await page.goto(`${server.base}/deals`);
  await hydrated(page);
  await Promise.all([page.waitForURL(/status=won/), page.getByTestId('view-link').filter({ hasText: 'Won deals' }).click()]);
  assert.match(page.url(), /sort=value&dir=desc/);
  assert.equal(await page.locator('th[aria-sort=descending]').count(), 1);

  // The board applies the same view's filters.
  await page.goto(`${server.base}/`);
  await hydrated(page);
  await page.getByTestId('board-views').locator('summary').click();
  await Promise.all([
    page.waitForURL(/status=won/),
    page.getByTestId('board-view-link').filter({ hasText: 'Won deals' }).click(),
  ]);
  await hydrated(page);
  assert.equal(await page.locator('[data-testid=board] select[name=status], select[name=status]').first().inputValue(), 'won');
  await page.context().close();
});
