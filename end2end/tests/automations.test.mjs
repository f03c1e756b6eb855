// Automations in a real browser: build one in the builder (QUOTE_SENT, total > 10000,
// send_notification), send a qualifying quote, see the notification and a COMPLETED run; open
// the client's portal link and see the view counted (and QUOTE_VIEWED run). The builder offers
// what suits the trigger and asks before unsaved changes are lost.
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

async function go(page, path, selector) {
  await page.goto(`${server.base}${path}`);
  await page.waitForSelector(selector);
  await hydrated(page);
}

/** Builds an automation with one optional condition and a notification. */
async function build(page, { name, trigger, condition, title }) {
  await go(page, '/automations', 'h1');
  await Promise.all([page.waitForURL(`${server.base}/automations/new`), page.click('[data-testid=new-automation]')]);
  await page.waitForSelector('[data-testid=automation-editor]');
  await hydrated(page);
  await page.fill('[data-testid=automation-name]', name);
  await page.selectOption('[data-testid=automation-trigger]', trigger);
  if (condition) {
    await page.click('[data-testid=add-condition]');
    await page.selectOption('[data-testid=condition-field]', condition.field);
    await page.selectOption('[data-testid=condition-operator]', condition.operator);
  }
  await page.click('[data-testid=add-action-send_notification]');
  await page.fill('[data-testid=action-title]', title);
  if (condition) {
    // Saving without the condition's value is refused inline, naming the row.
    await page.click('[data-testid=save-automation]');
    await page.getByTestId('automation-error').filter({ hasText: 'Condition 1, value' }).waitFor();
    assert.match(await page.getAttribute('[data-testid=condition-row]', 'class'), /border-red-400/);
    await page.fill('[data-testid=condition-value]', condition.value);
  }
  await Promise.all([page.waitForURL(`${server.base}/automations`), page.click('[data-testid=save-automation]')]);
  await page.getByTestId('automation-row').filter({ hasText: name }).waitFor();
}

/** Reloads `path` until `check(page)` holds (the worker runs automations in the background). */
async function eventually(page, path, selector, check, what) {
  for (let i = 0; i < 40; i++) {
    await go(page, path, selector);
    if (await check(page)) return;
    await page.waitForTimeout(500);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a quote sent over 10000 runs the automation built in the builder; the portal counts views', async () => {
  const page = await signedInPage(browser, server.base);
  page.on('dialog', (d) => d.accept());

  await build(page, {
    name: 'Big quote alert',
    trigger: 'QUOTE_SENT',
    condition: { field: 'total', operator: 'gt', value: '10000' },
    title: 'Big quote {{quoteNumber}} sent',
  });
  await build(page, { name: 'Quote opened by the client', trigger: 'QUOTE_VIEWED', title: 'Quote {{quoteNumber}} viewed' });

  // A quote by hand on a deal of the board, worth 15000.
  await go(page, '/', '[data-testid=board]');
  const id = (await board(page))[0].cards[0];
  await go(page, `/deals/${id}`, '[data-testid=quotes]');
  await page.click('[data-testid=quote-hand] summary');
  await page.fill('[data-testid=quote-form] input[name$="[product_name]"]', 'Premium service');
  await page.fill('[data-testid=quote-form] input[name$="[unit_price]"]', '15000');
  await page.click('[data-testid=quote-create]');
  const row = page.getByTestId('quote-row').first();
  await row.waitFor();
  await row.getByTestId('quote-send').click();
  await page.getByTestId('quote-row').filter({ hasText: 'SENT' }).first().waitFor();

  // The automation ran: a notification for the owner and a COMPLETED run.
  await eventually(page, '/', '[data-testid=board]', async (p) => {
    const text = await p.locator('[data-testid=bell]').textContent();
    return /Big quote \d+ sent/.test(text);
  }, 'the notification');
  assert.ok(Number(await page.textContent('[data-testid=unread-count]')) >= 1);
  await eventually(page, '/automations', 'h1', async (p) => {
    const r = p.getByTestId('automation-row').filter({ hasText: 'Big quote alert' });
    return (await r.getByTestId('automation-last-status').count()) > 0
      && (await r.getByTestId('automation-last-status').textContent()) === 'COMPLETED';
  }, 'a COMPLETED run');

  // The client opens the portal link (no login): the view is counted and QUOTE_VIEWED runs.
  await go(page, `/deals/${id}`, '[data-testid=quotes]');
  const quoteHref = await page.getByTestId('quote-row').first().locator('a[href^="/quotes/"]').first().getAttribute('href');
  await go(page, quoteHref, '[data-testid=quote-portal-link]');
  assert.match(await page.textContent('[data-testid=quote-views]'), /Viewed 0 time/);
  const link = await page.inputValue('[data-testid=quote-portal-link]');
  const client = await browser.newContext();
  const portal = await client.newPage();
  await portal.goto(link);
  await portal.waitForSelector('[data-testid=portal-accept]');
  await client.close();

  await eventually(page, quoteHref, '[data-testid=quote-views]', async (p) =>
    /Viewed 1 time/.test(await p.textContent('[data-testid=quote-views]')), 'the counted view');
  await eventually(page, '/automations', 'h1', async (p) => {
    const r = p.getByTestId('automation-row').filter({ hasText: 'Quote opened by the client' });
    return (await r.getByTestId('automation-runs').textContent()) === '1 run'
      && (await r.getByTestId('automation-last-status').textContent()) === 'COMPLETED';
  }, 'the QUOTE_VIEWED run');
  await page.context().close();
});

test('the builder offers stage keys and only the actions a trigger allows, and asks before losing changes', async () => {
  const page = await signedInPage(browser, server.base);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    d.dismiss();
  });
  await go(page, '/automations/new', '[data-testid=automation-editor]');
  await page.fill('[data-testid=automation-name]', 'Moved to proposal');
  await page.selectOption('[data-testid=automation-trigger]', 'QUOTE_SENT');
  await page.click('[data-testid=add-action-change_status]');
  assert.equal(await page.getByTestId('action-card').count(), 1);

  // A deal trigger: the quote's own actions are neither offered nor kept.
  await page.selectOption('[data-testid=automation-trigger]', 'DEAL_STAGE_CHANGED');
  assert.equal(await page.getByTestId('add-action-change_status').count(), 0);
  assert.equal(await page.getByTestId('add-action-add_label').count(), 0);
  assert.equal(await page.getByTestId('action-card').count(), 0);
  assert.match(await page.textContent('[data-testid=add-action-send_notification]'), /deal's responsible user/);

  // The stage is picked among the account's stage keys.
  await page.click('[data-testid=add-condition]');
  await page.selectOption('[data-testid=condition-field]', 'stage');
  const keys = await page.$$eval('select[data-testid=condition-value] option', (o) => o.map((x) => x.value).filter(Boolean));
  assert.ok(keys.includes('proposal') && keys.includes('qualified'), keys.join(', '));
  await page.selectOption('[data-testid=condition-value]', 'proposal');
  await page.click('[data-testid=add-action-send_notification]');
  await page.fill('[data-testid=action-title]', '{{title}} reached the proposal');
  assert.match(await page.textContent('[data-testid=notify-whom]'), /deal's responsible user/);

  // Leaving with unsaved changes asks first; staying keeps them.
  await page.click('a[href="/automations"]');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, ['beforeunload']);
  assert.match(page.url(), /\/automations\/new$/);
  assert.equal(await page.inputValue('[data-testid=automation-name]'), 'Moved to proposal');

  // Saved, it leaves without asking; its condition kept the stage key.
  await Promise.all([page.waitForURL(`${server.base}/automations`), page.click('[data-testid=save-automation]')]);
  assert.deepEqual(dialogs, ['beforeunload']);
  const row = page.getByTestId('automation-row').filter({ hasText: 'Moved to proposal' });
  await Promise.all([page.waitForURL(/\/automations\/[0-9a-f]+$/), row.locator('a').first().click()]);
  await page.waitForSelector('[data-testid=condition-row]');
  await hydrated(page);
  assert.equal(await page.inputValue('[data-testid=condition-value]'), 'proposal');
  // Nothing changed: leaving does not ask.
  await Promise.all([page.waitForURL(`${server.base}/automations`), page.click('a[href="/automations"]')]);
  assert.deepEqual(dialogs, ['beforeunload']);
  await page.context().close();
});

test("a run's status shows on the open list and log without a reload", async () => {
  const page = await signedInPage(browser, server.base);
  await build(page, { name: 'Stage watcher', trigger: 'DEAL_STAGE_CHANGED', title: 'Moved: {{title}}' });
  const row = page.getByTestId('automation-row').filter({ hasText: 'Stage watcher' });
  assert.equal((await row.getByTestId('automation-runs').textContent()).trim(), '0 runs');
  const logs = await page.context().newPage();
  await go(logs, await row.getByTestId('automation-runs').getAttribute('href'), '[data-testid=logs-empty]');
  let loads = 0;
  for (const p of [page, logs]) p.on('load', () => { loads += 1; });

  // Elsewhere, a deal changes stage.
  const mover = await page.context().newPage();
  await go(mover, '/', '[data-testid=board]');
  const columns = await board(mover);
  await go(mover, `/deals/${columns[0].cards[0]}`, '[data-testid=stage-form]');
  await mover.selectOption('[data-testid=stage-form] select[name=stage_id]', String(columns[1].id));
  await Promise.all([mover.waitForEvent('load'), mover.click('[data-testid=stage-form] button[type=submit]')]);

  await logs.getByTestId('log-status').filter({ hasText: 'COMPLETED' }).waitFor({ timeout: 30_000 });
  await row.getByTestId('automation-last-status').filter({ hasText: 'COMPLETED' }).waitFor({ timeout: 30_000 });
  assert.equal((await row.getByTestId('automation-runs').textContent()).trim(), '1 run');
  assert.equal(loads, 0, 'neither page reloaded');
  await page.context().close();
});
