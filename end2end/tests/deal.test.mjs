// The deal page in a real browser: an edit shows on the board, a lost deal leaves it, the
// stage control moves a deal, only the latest outcome of a change shows, and its text is legible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, board, hydrated, contrastOf, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

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
  // Won and Lost are two buttons by the title; each opens its form.
  assert.equal(await page.locator('[data-testid=lost-form]').isVisible(), false);
  await page.click('[data-testid=lost-toggle] summary');
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

test('a failed save hides the "Saved." of the save before it', async () => {
  const page = await signedInPage(browser, server.base);
  const id = (await board(page))[1].cards[1];
  await openDeal(page, id);
  const flash = page.locator('[data-flash]');

  await page.fill('[data-testid=deal-form] input[name=value]', '2500');
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=deal-form] button[type=submit]')]);
  await hydrated(page);
  await flash.filter({ hasText: 'Saved.' }).waitFor();

  await page.fill('[data-testid=deal-form] input[name=value]', '1.234');
  await page.click('[data-testid=deal-form] button[type=submit]');
  await page.getByTestId('deal-error').filter({ hasText: 'more than 2 decimals' }).waitFor();
  assert.equal(await flash.isVisible(), false, 'the earlier "Saved." is gone');
  assert.equal(await page.getByTestId('deal-error').isVisible(), true);
  await page.context().close();
});

test("the deal page's stage control moves the deal, as the board then shows", async () => {
  const page = await signedInPage(browser, server.base);
  const columns = await board(page);
  const id = columns[0].cards[1];
  await openDeal(page, id);
  const options = await page.$$eval('[data-testid=stage-form] select[name=stage_id] option', (o) => o.map((x) => Number(x.value)));
  assert.deepEqual(options, columns.map((c) => c.id), "the pipeline's stages, in order");
  assert.equal(await page.inputValue('[data-testid=stage-form] select[name=stage_id]'), String(columns[0].id));

  await page.selectOption('[data-testid=stage-form] select[name=stage_id]', String(columns[2].id));
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=stage-form] button[type=submit]')]);
  await page.waitForSelector('[data-testid=stage-form]');
  assert.equal(await page.inputValue('[data-testid=stage-form] select[name=stage_id]'), String(columns[2].id));
  const stageName = await page.$eval(`[data-testid=stage-form] option[value="${columns[2].id}"]`, (o) => o.textContent);
  assert.equal(await page.textContent('[data-testid=deal-stage]'), stageName);

  await backToBoard(page);
  const after = await board(page);
  assert.ok(after[2].cards.includes(id), 'in its new column');
  assert.ok(!after[0].cards.includes(id), 'gone from its old one');
  await page.context().close();
});

test('the deal page reads at WCAG AA contrast: the "Mark won" button and the timeline', async () => {
  const page = await signedInPage(browser, server.base);
  const id = (await board(page))[3].cards[0];
  await openDeal(page, id);
  const won = page.locator('[data-testid=won-form] button[type=submit]');
  assert.ok(await contrastOf(won) >= 4.5, `"Mark won": ${await contrastOf(won)}`);
  // A note puts the author's name on the timeline.
  await page.fill('[data-testid=note-form] textarea', 'Contrast check');
  await page.click('[data-testid=note-form] button[type=submit]');
  await page.locator('[data-testid=note]').filter({ hasText: 'Contrast check' }).waitFor();
  await page.selectOption('[data-testid=stage-form] select[name=stage_id]', { index: 0 });
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=stage-form] button[type=submit]')]);
  const names = page.getByTestId('timeline-user');
  await names.first().waitFor();
  for (let i = 0; i < await names.count(); i++) {
    const ratio = await contrastOf(names.nth(i));
    assert.ok(ratio >= 4.5, `a timeline name: ${ratio}`);
  }
  await page.context().close();
});

test('the stage bar moves the deal to the stage clicked', async () => {
  const page = await signedInPage(browser, server.base);
  const columns = await board(page);
  const id = columns[0].cards[0];
  await openDeal(page, id);
  const steps = page.getByTestId('stage-step');
  assert.equal(await steps.count(), columns.length, 'one step per stage');
  assert.equal(await steps.nth(0).getAttribute('aria-current'), 'step');
  assert.ok(await steps.nth(0).isDisabled(), 'the current stage is not a move');
  const name = (await steps.nth(1).textContent()).trim();
  await Promise.all([page.waitForEvent('load'), steps.nth(1).click()]);
  await hydrated(page);
  assert.equal((await page.textContent('[data-testid=deal-stage]')).trim(), name);
  assert.equal(await page.getByTestId('stage-step').nth(1).getAttribute('aria-current'), 'step');
  await page.getByTestId('toast').filter({ hasText: 'Stage changed.' }).waitFor();
  await backToBoard(page);
  assert.ok((await board(page))[1].cards.includes(id), 'in the column of the stage clicked');
  await page.context().close();
});

test('a note and a product line show in place, without reloading the page', async () => {
  const page = await signedInPage(browser, server.base);
  const id = (await board(page))[2].cards[1];
  await openDeal(page, id);
  let loads = 0;
  page.on('load', () => { loads += 1; });

  await page.fill('[data-testid=note-form] textarea', 'Written in place');
  await page.click('[data-testid=note-form] button[type=submit]');
  await page.locator('[data-testid=note]').filter({ hasText: 'Written in place' }).waitFor();
  assert.equal(await page.inputValue('[data-testid=note-form] textarea'), '', 'the composer is empty again');

  const lines = await page.locator('[data-testid=line]').count();
  const option = await page.$eval('[data-testid=product-form] select[name=product_id] option:nth-child(2)', (o) => o.value);
  await page.selectOption('[data-testid=product-form] select[name=product_id]', option);
  await page.fill('[data-testid=product-form] input[name=quantity]', '2');
  await page.fill('[data-testid=product-form] input[name=unit_amount]', '10');
  await page.click('[data-testid=product-form] button[type=submit]');
  await page.locator('[data-testid=line]').nth(lines).waitFor();

  // The forms drawn anew still work: pin the note.
  await page.locator('[data-testid=note]').filter({ hasText: 'Written in place' }).getByRole('button', { name: 'Pin' }).click();
  await page.locator('[data-testid=pinned-note]').filter({ hasText: 'Written in place' }).waitFor();
  assert.equal(loads, 0, 'no reload');
  await page.context().close();
});
