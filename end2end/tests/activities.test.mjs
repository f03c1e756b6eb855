// Activities in a real browser: an overdue call, completed, shows its points on the leaderboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated } from './support.mjs';

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

async function myPoints(page) {
  await page.goto(`${server.base}/leaderboard`);
  const row = page.locator('[data-testid=leaderboard] tr', { hasText: 'Olivia Owner' });
  return Number(await row.locator('[data-testid=lb-all]').textContent());
}

test('an activity due yesterday is overdue, and completing it earns points once', async () => {
  const page = await signedInPage(browser, server.base);
  const pointsBefore = await myPoints(page);

  await page.goto(`${server.base}/activities`);
  await hydrated(page);
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 16);
  await page.selectOption('[data-testid=activity-form] select[name=kind]', 'meeting');
  await page.fill('[data-testid=activity-form] input[name=title]', 'Review proposal with Acme');
  await page.fill('[data-testid=activity-form] input[name=due_at]', yesterday);
  await page.click('[data-testid=activity-form] button[type=submit]');
  const row = page.locator('[data-testid=overdue] [data-testid=activity]', { hasText: 'Review proposal with Acme' });
  await row.waitFor();

  await row.locator('[data-testid=activity-toggle]').click();
  const done = page.locator('[data-testid=done] [data-testid=activity]', { hasText: 'Review proposal with Acme' });
  await done.waitFor();
  assert.equal(await page.locator('[data-testid=overdue] [data-testid=activity]', { hasText: 'Review proposal with Acme' }).count(), 0);

  assert.equal(await myPoints(page), pointsBefore + 20, 'a meeting is worth 20 points');
  await page.context().close();
});
