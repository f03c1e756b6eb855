// Getting in without an admin typing a password: an owner invites by e-mail, the message
// reaches a real SMTP listener, the invitee follows its link, chooses a name and password and
// lands signed in on the board; a forgotten password's link (also by e-mail) sets a new one,
// and a session open on another page is signed out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSmtp, launchBrowser, signedInPage, hydrated, closeAll, DEMO } from './support.mjs';

let server;
let browser;
let smtp;

before(async () => {
  smtp = await startSmtp();
  server = await startServer({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'Dealflow <noreply@e2e.test>' } });
  browser = await launchBrowser();
});

after(() => closeAll(browser, server, smtp));

test('an invitation goes by e-mail and its link signs the new teammate in', async () => {
  const owner = await signedInPage(browser, server.base);
  await owner.goto(`${server.base}/settings`);
  await hydrated(owner);
  const form = owner.getByTestId('invite-user');
  await form.locator('input[name=email]').fill('nina@e2e.test');
  await form.locator('select[name=role]').selectOption('sales');
  await form.locator('button[type=submit]').click();
  await owner.getByTestId('invitation-row').filter({ hasText: 'nina@e2e.test' }).waitFor();

  const [link] = await smtp.message('nina@e2e.test', /http:\/\/[^\s]+\/invitations\/[0-9a-f]{64}/);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await hydrated(page);
  assert.match(await page.getByTestId('invitation-offer').innerText(), /nina@e2e\.test/);
  await page.fill('input[name=name]', 'Nina Nova');
  await page.fill('input[name=password]', 'nina-password-1');
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button[type=submit]')]);
  await page.getByTestId('board').waitFor();
  await hydrated(page);

  // The link worked once.
  await page.goto(link);
  await page.getByTestId('dead-link').waitFor();
  await context.close();
  await owner.context().close();
});

test('a forgotten password is reset by e-mail and the open session elsewhere ends', async () => {
  const elsewhere = await signedInPage(browser, server.base);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/forgot-password/), page.getByRole('link', { name: /forgot/i }).click()]);
  await hydrated(page);
  await page.fill('input[name=email]', DEMO.email);
  await page.click('button[type=submit]');
  await page.getByTestId('reset-sent').waitFor();

  const [link] = await smtp.message(DEMO.email, /http:\/\/[^\s]+\/reset-password\/[0-9a-f]{64}/);
  await page.goto(link);
  await hydrated(page);
  await page.fill('input[name=password]', 'a-new-demo-password');
  await Promise.all([page.waitForURL(/\/login\?reset=1/), page.click('button[type=submit]')]);
  await page.getByTestId('password-reset-done').waitFor();
  await hydrated(page);
  await page.fill('input[name=email]', DEMO.email);
  await page.fill('input[name=password]', 'a-new-demo-password');
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button[type=submit]')]);
  await page.getByTestId('board').waitFor();

  // The session on the other page is over: its next page is the login page.
  await elsewhere.goto(`${server.base}/activities`);
  await elsewhere.waitForURL(/\/login/);
  await context.close();
  await elsewhere.context().close();
});
