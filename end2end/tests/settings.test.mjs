// Settings and organizations in a real browser: stages reorder by drag and by the arrow
// buttons, the board follows; a stage with deals is deleted only after choosing where they go.
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

async function openSettings(page) {
  await page.goto(`${server.base}/settings`);
  await page.waitForSelector('[data-testid=pipeline-settings] [data-testid=stage-row]');
  await hydrated(page);
}

/** Stage names of the first (primary) pipeline, in order. */
function stageNames(page) {
  return page.$$eval('[data-testid=pipeline]:first-of-type [data-testid=stage-name]', (els) => els.map((e) => e.value));
}

test('stages reorder by drag and by buttons, and the board follows', async () => {
  const page = await signedInPage(browser, server.base);
  const columnsBefore = (await board(page)).map((c) => c.id);
  await openSettings(page);
  const names = await stageNames(page);
  assert.ok(names.length >= 3, `stages listed: ${names}`);

  const rows = page.locator('[data-testid=pipeline]').first().locator('[data-testid=stage-row]');
  const handle = (i) => rows.nth(i).locator('[title="Drag to reorder"]');
  await handle(2).dragTo(handle(0));
  await page.waitForFunction(
    (expected) => [...document.querySelectorAll('[data-testid=pipeline]:first-of-type [data-testid=stage-name]')]
      .map((e) => e.value)[0] === expected,
    names[2],
  );
  const dragged = await stageNames(page);
  assert.deepEqual(dragged, [names[2], names[0], names[1], ...names.slice(3)]);

  await page.getByRole('button', { name: `Move ${names[2]} down` }).click();
  await page.waitForFunction(
    (expected) => [...document.querySelectorAll('[data-testid=pipeline]:first-of-type [data-testid=stage-name]')]
      .map((e) => e.value)[1] === expected,
    names[2],
  );

  await page.goto(`${server.base}/`);
  await page.waitForSelector('[data-testid=board]');
  const columnsAfter = (await board(page)).map((c) => c.id);
  assert.deepEqual(columnsAfter, [columnsBefore[0], columnsBefore[2], columnsBefore[1], ...columnsBefore.slice(3)]);
});

test('a stage with deals is deleted only after choosing where they go', async () => {
  const page = await signedInPage(browser, server.base);
  const columns = await board(page);
  const full = columns.find((c) => c.count > 0);
  const target = columns.find((c) => c.id !== full.id);
  await openSettings(page);
  page.on('dialog', (d) => d.accept());

  const row = page.locator(`[data-testid=stage-row][data-stage-id="${full.id}"]`);
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('pipelines-error').filter({ hasText: 'choose the stage they move to' }).waitFor();
  assert.equal(await row.count(), 1, 'the stage is still there');

  await row.locator('select[name=move_to]').selectOption(String(target.id));
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction((id) => !document.querySelector(`[data-stage-id="${id}"]`), full.id);

  await page.goto(`${server.base}/`);
  await page.waitForSelector('[data-testid=board]');
  const after = await board(page);
  assert.ok(!after.some((c) => c.id === full.id), 'the column is gone');
  const moved = after.find((c) => c.id === target.id);
  assert.equal(moved.count, target.count + full.count, 'its deals moved to the chosen stage');
  assert.deepEqual(moved.cards.slice(target.count), full.cards, 'after the ones already there, in order');
});

test('an organization is added, found and opened', async () => {
  const page = await signedInPage(browser, server.base);
  await page.goto(`${server.base}/organizations`);
  await page.waitForSelector('[data-testid=organizations]');
  await hydrated(page);
  await page.fill('[data-testid=organization-form] input[name=name]', 'Zephyr Robotics');
  // A change that worked reloads the page.
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=organization-form] button[type=submit]')]);
  await hydrated(page);
  await page.fill('[data-testid=organization-form] input[name=name]', 'zephyr robotics');
  await page.click('[data-testid=organization-form] button[type=submit]');
  await page.getByTestId('organization-error').filter({ hasText: 'already an organization' }).waitFor();

  await page.fill('input[name=q]', 'zephyr');
  await page.press('input[name=q]', 'Enter');
  await page.waitForURL(/q=zephyr/);
  const link = page.locator('[data-testid=organizations] a', { hasText: 'Zephyr Robotics' });
  await link.waitFor();
  assert.equal(await page.locator('[data-testid=organizations] tbody tr').count(), 1);
  await link.click();
  await page.waitForSelector('[data-testid=organization-name]');
  assert.equal(await page.getByTestId('organization-name').textContent(), 'Zephyr Robotics');
  assert.match(await page.getByTestId('related-deals').textContent(), /No deals with this organization yet/);
});
