// A column longer than a page in a real browser: its first cards, "show more", a card moved
// after the shown ones, and totals that stay over every card of the column.
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

/** A column's page size (`domain::board::COLUMN_PAGE`). */
const PAGE = 50;
const dollars = (text) => Number(text.replace(/[^0-9.]/g, ''));

test('a long column shows its first cards, loads more on demand and counts them all', async () => {
  const page = await signedInPage(browser, server.base);
  const start = await board(page);
  const long = start[1];
  const added = 60;
  for (let i = 0; i < added; i++) {
    const res = await page.request.post(`${server.base}/rpc/quick_add_deal`, {
      form: { stage_id: String(long.id), title: `Long column ${i}`, value: '100' },
    });
    assert.equal(res.status(), 200, await res.text());
  }
  await page.reload();
  await hydrated(page);
  let cols = await board(page);
  const all = long.count + added;
  assert.equal(cols[1].count, all, 'the count is over every card');
  assert.equal(cols[1].cards.length, PAGE, 'a page of them is shown');
  assert.equal(dollars(cols[1].total), dollars(long.total) + 100 * added, 'so is the total');
  const more = page.locator(`[data-column="${long.id}"] [data-testid=column-more]`);
  assert.match(await more.textContent(), new RegExp(`\\(${all - PAGE} not shown\\)`));

  // A card sent to that stage by its move menu lands after the cards shown, not after all.
  const moved = cols[0].cards[0];
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await page.selectOption(`[data-card="${moved}"] [data-testid=move-menu]`, `stage:${long.id}`);
  assert.equal((await saved).status(), 200);
  cols = await board(page);
  assert.equal(cols[1].cards.at(-1), moved, 'shown at the end of the cards shown');
  assert.equal(cols[1].count, all + 1);

  // After a reload it is the first card not shown; "show more" brings it and the rest.
  await page.reload();
  await hydrated(page);
  const shown = (await board(page))[1];
  assert.equal(shown.cards.length, PAGE);
  assert.ok(!shown.cards.includes(moved));
  const loaded = page.waitForResponse((r) => r.url().endsWith('/rpc/get_column'));
  await more.click();
  assert.equal((await loaded).status(), 200);
  await more.waitFor({ state: 'detached' });
  const full = (await board(page))[1];
  assert.equal(full.cards.length, all + 1, 'every card shown');
  assert.deepEqual(full.cards.slice(0, PAGE), shown.cards, 'the first ones stay in order');
  assert.equal(full.cards[PAGE], moved, 'right after them, where it was dropped');
  assert.equal(full.count, shown.count, 'the count does not change');
  assert.equal(full.total, shown.total, 'nor the total');
  await page.context().close();
});
