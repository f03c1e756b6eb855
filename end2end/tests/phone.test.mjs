// Every main page on a 390 px phone: readable without sideways scrolling (the board scrolls its
// own columns, which snap into view; see board-input.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('no main page is wider than a phone', async () => {
  const page = await signedInPage(browser, server.base, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  // A deal, a contact and an organization of the demo, found through their lists.
  await page.goto(`${server.base}/`);
  const deal = await page.getAttribute('[data-testid=card-title]', 'href');
  await page.goto(`${server.base}/contacts`);
  const contact = await page.getAttribute('[data-testid=contacts] a[href^="/contacts/"]', 'href');
  await page.goto(`${server.base}/organizations`);
  const organization = await page.getAttribute('a[href^="/organizations/"]', 'href');
  const paths = ['/', deal, '/activities', '/contacts', contact, '/organizations', organization,
    '/leaderboard', '/automations', '/automations/new', '/settings', '/preferences', '/outbox'];
  const tooWide = [];
  for (const path of paths) {
    const res = await page.goto(`${server.base}${path}`);
    assert.equal(res.status(), 200, path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) tooWide.push(`${path}: ${width} px`);
  }
  assert.deepEqual(tooWide, [], 'pages wider than the phone');
  await page.context().close();
});
