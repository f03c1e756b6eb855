// Settings and organizations in a real browser: stages reorder by drag and by the arrow
// buttons, the board follows; a stage with deals is deleted only after choosing where they go.
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

test('settings come in sections with a list of them; a lost reason is added and removed in place', async () => {
  const page = await signedInPage(browser, server.base);
  await openSettings(page);
  const links = page.getByTestId('settings-sections').locator('a');
  const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(targets.length >= 7, `sections listed: ${targets}`);
  for (const href of targets) {
    assert.equal(await page.locator(href).count(), 1, `the section ${href} exists`);
  }
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const section = page.locator('#lost-reasons');
  await section.getByPlaceholder('New reason').fill('Chose a rival in the browser');
  await section.getByRole('button', { name: 'Add' }).click();
  const added = section.locator('li').filter({ hasText: 'Chose a rival in the browser' });
  await added.waitFor();
  await added.getByRole('button', { name: 'Remove' }).click();
  await added.waitFor({ state: 'detached' });
  assert.equal(loads, 0, 'no reload');
  await page.context().close();
});

test('a new API key shows once and joins the list without a reload', async () => {
  const page = await signedInPage(browser, server.base);
  await openSettings(page);
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const rows = page.getByTestId('api-key-row');
  const before = await rows.count();
  const form = page.getByTestId('add-api-key');
  await form.locator('input[name=name]').fill('Shop in the browser');
  await form.locator('input[type=checkbox]').first().check();
  await form.locator('button[type=submit]').click();
  await page.getByTestId('new-api-key').waitFor();
  await rows.filter({ hasText: 'Shop in the browser' }).waitFor();
  assert.equal(await rows.count(), before + 1);
  assert.equal(loads, 0, 'no reload: the key shown once is still on screen');
  assert.ok((await page.textContent('[data-testid=new-api-key]')).length > 20);
  await page.context().close();
});
