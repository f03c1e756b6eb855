// The live board in real browsers: a move made by another user appears on an open board
// without a reload, and waits while a drag is in progress there.
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

/** Waits until `check(board)` holds on the page, without reloading it. */
async function until(page, check, what) {
  for (let i = 0; i < 50; i++) {
    if (check(await board(page))) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function moveWithMenu(page, card, stageId) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await page.selectOption(`[data-card="${card}"] [data-testid=move-menu]`, `stage:${stageId}`);
  assert.equal((await saved).status(), 200);
}

test("another user's move shows on an open board, after the drag in progress", async () => {
  const watcher = await signedInPage(browser, server.base);
  const mover = await signedInPage(browser, server.base);
  const start = await board(watcher);
  await watcher.waitForTimeout(500); // the event stream is open

  // A move by the other user appears without a reload.
  const first = start[0].cards[0];
  await moveWithMenu(mover, first, start[2].id);
  await until(watcher, (b) => b[2].cards.includes(first) && !b[0].cards.includes(first), 'the first move');

  // While the watcher drags a card, the board stays as it is ...
  const now = await board(watcher);
  const dragged = now[1].cards[0];
  const second = now[0].cards[0];
  const handle = await watcher.locator(`[data-card="${dragged}"] [data-testid=card-title]`).boundingBox();
  await watcher.mouse.move(handle.x + 10, handle.y + handle.height / 2);
  await watcher.mouse.down();
  await watcher.mouse.move(handle.x + 40, handle.y + handle.height / 2 + 20, { steps: 5 });
  await moveWithMenu(mover, second, now[3].id);
  await watcher.waitForTimeout(1500);
  const during = await board(watcher);
  assert.ok(during[0].cards.includes(second), 'the board did not change under the drag');
  // ... and catches up once the card is dropped back where it was.
  await watcher.mouse.move(handle.x + 10, handle.y + handle.height / 2, { steps: 5 });
  await watcher.mouse.up();
  await until(watcher, (b) => b[3].cards.includes(second) && !b[0].cards.includes(second), 'the second move after the drop');
  await watcher.context().close();
  await mover.context().close();
});
