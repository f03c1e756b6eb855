// Moving cards without a mouse: the keyboard alone (pick up, arrows, drop, Escape), a finger
// on a phone-sized screen (long press then drag; a quick swipe scrolls), and the move menu's
// "To the top" on the card already on top.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, board, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('the keyboard alone moves a card to another stage and place, and Escape puts it back', async () => {
  const page = await signedInPage(browser, server.base);
  const start = await board(page);
  const from = start.findIndex((c, i) => c.cards.length > 0 && start[i + 1]?.cards.length >= 2);
  assert.ok(from >= 0, 'a stage with cards before one with two or more');
  const card = start[from].cards[0];

  // Escape first: picked up, moved, put back, nothing saved.
  let saves = 0;
  page.on('request', (r) => { if (r.url().endsWith('/rpc/move_deal')) saves += 1; });
  await page.focus(`[data-card="${card}"]`);
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  assert.ok((await board(page))[from + 1].cards.includes(card), 'the card follows the arrow');
  await page.keyboard.press('Escape');
  assert.deepEqual((await board(page))[from].cards, start[from].cards, 'Escape puts it back');
  assert.equal(saves, 0);
  assert.match(await page.getByTestId('board-announcer').textContent(), /cancelled/);

  // Then for real: to the next stage, one place down (second), dropped with Enter.
  await page.focus(`[data-card="${card}"]`);
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.dataset.card);
  assert.equal(Number(focused), card, 'the focus stays on the moved card');
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await page.keyboard.press('Enter');
  assert.equal((await saved).status(), 200);
  assert.match(await page.getByTestId('board-announcer').textContent(), /position 2/);
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  const after = await board(page);
  assert.equal(after[from + 1].cards[1], card, 'second in the next stage after a reload');
  assert.ok(!after[from].cards.includes(card));
  await page.context().close();
});

test('a card held from the keyboard keeps its keys while the focus is off it', async () => {
  const page = await signedInPage(browser, server.base);
  const start = await board(page);
  const from = start.findIndex((c, i) => c.cards.length > 0 && start[i + 1]);
  const card = start[from].cards[0];
  await page.focus(`[data-card="${card}"]`);
  await page.keyboard.press('Space');
  // As when the card is drawn again in another column: for a moment nothing has the focus.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('ArrowRight');
  assert.ok((await board(page))[from + 1].cards.includes(card), 'the arrow still moves the held card');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Escape');
  assert.deepEqual((await board(page))[from].cards, start[from].cards, 'Escape still puts it back');
  await page.context().close();
});

test('"To the top" leaves the top card where it is', async () => {
  const page = await signedInPage(browser, server.base);
  const start = await board(page);
  const col = start.findIndex((c) => c.cards.length >= 2);
  const top = start[col].cards[0];
  await page.selectOption(`[data-card="${top}"] [data-testid=move-menu]`, 'top');
  await page.waitForTimeout(300);
  assert.deepEqual((await board(page))[col].cards, start[col].cards);
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  assert.deepEqual((await board(page))[col].cards, start[col].cards, 'and nothing was saved');
  await page.context().close();
});

/** A signed-in phone: 390×844, touch. */
function phone() {
  return signedInPage(browser, server.base, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
}

/** A finger on the screen through Chromium's touch emulation. */
async function touch(page, points, holdMs) {
  const cdp = await page.context().newCDPSession(page);
  const [first, ...rest] = points;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first] });
  if (holdMs) await page.waitForTimeout(holdMs);
  for (const p of rest) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('on a phone a long press drags a card to the next stage; a swipe does not', async () => {
  const page = await phone();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page fits the phone's width (${width} px)`);
  const snap = await page.$eval('[data-testid=board]', (el) => getComputedStyle(el).scrollSnapType);
  assert.match(snap, /x mandatory/, 'the columns snap into view one at a time');
  const column = await page.locator('[data-testid=column]').first().boundingBox();
  assert.ok(column.width > 300 && column.width < 390, `a column nearly fills the phone (${column.width} px)`);
  const start = await board(page);
  const card = start[0].cards[0];
  const box = await page.locator(`[data-card="${card}"] [data-testid=card-value]`).boundingBox();
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

  // A quick swipe sideways: no move.
  let saves = 0;
  page.on('request', (r) => { if (r.url().endsWith('/rpc/move_deal')) saves += 1; });
  await touch(page, [from, { x: from.x - 20, y: from.y }, { x: from.x - 60, y: from.y }, { x: from.x - 100, y: from.y }], 0);
  await page.waitForTimeout(1000);
  assert.equal(saves, 0, 'a swipe is not a drag');
  assert.ok((await board(page))[0].cards.includes(card));

  // A long press, then the finger goes to the next column's visible edge.
  await page.evaluate(() => { document.querySelector('[data-testid=board]').scrollLeft = 0; });
  await page.waitForTimeout(300);
  const box2 = await page.locator(`[data-card="${card}"] [data-testid=card-value]`).boundingBox();
  const at = { x: box2.x + box2.width / 2, y: box2.y + box2.height / 2 };
  const next = await page.locator(`[data-column="${start[1].id}"]`).boundingBox();
  const target = { x: Math.min(next.x + 30, 370), y: next.y + 80 };
  const path = [at];
  for (let i = 1; i <= 12; i += 1) {
    path.push({ x: at.x + ((target.x - at.x) * i) / 12, y: at.y + ((target.y - at.y) * i) / 12 });
  }
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await touch(page, path, 600);
  assert.equal((await saved).status(), 200);
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  const after = await board(page);
  assert.ok(after[1].cards.includes(card), 'in the next stage after a reload');
  assert.ok(!after[0].cards.includes(card));
  await page.context().close();
});
