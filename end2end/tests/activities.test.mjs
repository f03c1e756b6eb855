// Activities in a real browser: an overdue call, completed, shows its points on the leaderboard;
// an activity's deal is picked by its title.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, board, contrastOf, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

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

test("an activity's deal is picked by its title, and the activity shows that title", async () => {
  const page = await signedInPage(browser, server.base);
  const id = (await board(page))[0].cards[0];
  const title = (await page.textContent(`[data-card="${id}"] [data-testid=card-title]`)).trim();

  await page.goto(`${server.base}/activities`);
  await hydrated(page);
  assert.equal(await page.getByText('Deal #id').count(), 0);
  await page.fill('[data-testid=activity-form] input[name=title]', 'Plan the rollout');
  await page.fill('[data-testid=activity-form] input[name=due_at]', '2099-01-01T10:00');
  const option = page.locator(`[data-testid=activity-form] select[name=deal_id] option[value="${id}"]`);
  assert.equal((await option.textContent()).trim(), title, 'the deal is offered by its title');
  await page.selectOption('[data-testid=activity-form] select[name=deal_id]', String(id));
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=activity-form] button[type=submit]')]);

  await page.goto(`${server.base}/activities?from=2099-01-01&to=2099-01-02`);
  const row = page.locator('[data-testid=upcoming] [data-testid=activity]', { hasText: 'Plan the rollout' });
  await row.waitFor();
  assert.equal((await row.getByTestId('activity-deal-title').textContent()).trim(), title);
  assert.equal(await row.getByTestId('activity-deal-title').getAttribute('href'), `/deals/${id}`);

  // The empty groups say so legibly.
  const nothing = page.locator('[data-testid=overdue] p', { hasText: 'Nothing.' });
  await nothing.waitFor();
  const ratio = await contrastOf(nothing);
  assert.ok(ratio >= 4.5, `"Nothing.": ${ratio}`);
  await page.context().close();
});
