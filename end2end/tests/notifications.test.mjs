// The notifications bell keeps itself up to date: a deal handed to the owner by a colleague
// shows in the owner's open page without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, DEMO, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

/** The unread count the bell shows (0 when it shows none). */
async function unread(page) {
  const badge = page.getByTestId('unread-count');
  return (await badge.count()) ? Number(await badge.textContent()) : 0;
}

test('a new notification reaches an open page without a reload', async () => {
  const owner = await signedInPage(browser, server.base);
  let loads = 0;
  owner.on('load', () => { loads += 1; });
  const before = await unread(owner);
  const deal = await owner.getAttribute('[data-testid=card-title]', 'href');

  // A colleague, in another browser, makes the owner responsible for a deal.
  const context = await browser.newContext();
  const admin = await context.newPage();
  await admin.goto(`${server.base}/login`);
  await hydrated(admin);
  await admin.fill('input[name=email]', 'admin@demo.test');
  await admin.fill('input[name=password]', DEMO.password);
  await Promise.all([admin.waitForURL(`${server.base}/`), admin.click('button[type=submit]')]);
  await admin.goto(`${server.base}${deal}`);
  await hydrated(admin);
  const form = admin.getByTestId('deal-form');
  const options = await form.locator('select[name=responsible_user_id] option').allTextContents();
  const ownerName = options.find((o) => o.startsWith('Olivia'));
  assert.ok(ownerName, `the owner among ${options}`);
  // Someone else first, so that handing it to the owner is a change.
  const other = options.find((o) => o && !o.startsWith('Olivia') && !o.startsWith('Adam'));
  for (const name of [other, ownerName]) {
    await form.locator('select[name=responsible_user_id]').selectOption({ label: name });
    await Promise.all([admin.waitForEvent('load'), form.locator('button[type=submit]').click()]);
    await hydrated(admin);
  }

  // The owner's page, left alone, shows it.
  await owner.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=unread-count]')?.textContent ?? 0) > n,
    before,
    { timeout: 40_000 },
  );
  assert.equal(loads, 0, 'no reload');
  await owner.getByTestId('bell').locator('summary').click();
  await owner.getByText(/You are now responsible for/).first().waitFor();
  await context.close();
  await owner.context().close();
});
