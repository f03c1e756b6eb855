// Two-factor sign-in and the audit log in the browser: the owner sets up an authenticator from
// the key the page shows (the code is computed here, RFC 6238), is shown ten recovery codes
// once, signs out, and signs in again with the password and then a code; the audit log lists
// both, filters them, and downloads them as CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, launchBrowser, signedInPage, hydrated, closeAll, DEMO } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

/** The bytes of a base32 key (RFC 4648, no padding; spaces ignored). */
function base32(key) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of key.replace(/\s+/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The six-digit code of `key` for the 30-second step `offset` steps from now. */
function totp(key, offset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(key)).update(counter).digest();
  const o = h[h.length - 1] & 0x0f;
  const n = ((h[o] & 0x7f) << 24 | h[o + 1] << 16 | h[o + 2] << 8 | h[o + 3]) % 1_000_000;
  return String(n).padStart(6, '0');
}

test('an owner enrols an authenticator and signs in with a code from it', async () => {
  const page = await signedInPage(browser, server.base);
  await page.goto(`${server.base}/preferences`);
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/preferences\/two-factor/), page.getByTestId('two-factor-link').click()]);
  await hydrated(page);
  await page.getByTestId('tfa-off').waitFor();
  assert.ok(await page.getByTestId('tfa-qr').locator('svg').count() === 1, 'the QR code is drawn');
  const key = (await page.getByTestId('tfa-key').innerText()).trim();
  assert.match(key, /^[A-Z2-7 ]{32,}$/);

  // A wrong code says why and keeps the form.
  const setup = page.getByTestId('tfa-setup');
  await setup.locator('input[name=code]').fill(totp(key, 9));
  await setup.locator('button[type=submit]').click();
  await setup.locator('[data-form-error]:not([hidden])').waitFor();

  await setup.locator('input[name=code]').fill(totp(key));
  await setup.locator('button[type=submit]').click();
  await page.getByTestId('tfa-on').waitFor();
  const codes = await page.getByTestId('recovery-codes').locator('li').allInnerTexts();
  assert.equal(codes.length, 10);
  assert.ok(codes.every((c) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(c)), codes.join(' '));
  await page.context().close();

  // The password alone leads to the second step, not in.
  const context = await browser.newContext();
  const again = await context.newPage();
  await again.goto(`${server.base}/login`);
  await hydrated(again);
  await again.fill('input[name=email]', DEMO.email);
  await again.fill('input[name=password]', DEMO.password);
  await Promise.all([again.waitForURL(/\/login\/code/), again.click('button[type=submit]')]);
  await hydrated(again);
  await again.getByTestId('second-step').waitFor();
  await again.goto(`${server.base}/activities`);
  await again.waitForURL(/\/login/);
  await again.goBack();
  await again.waitForURL(/\/login\/code/);
  await hydrated(again);
  // The enrolment used this step's code; the app's next one signs in.
  await again.fill('input[name=code]', totp(key, 1));
  await Promise.all([again.waitForURL(`${server.base}/`), again.click('button[type=submit]')]);
  await again.getByTestId('board').waitFor();
  await hydrated(again);

  // The audit log shows the sign-in and the enrolment, filters, and downloads them.
  await again.goto(`${server.base}/settings/audit`);
  await hydrated(again);
  const actions = await again.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.action));
  for (const a of ['signed_in', 'two_factor_on']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  await again.getByTestId('audit-filter').locator('select[name=action]').selectOption('two_factor_on');
  await Promise.all([again.waitForURL(/action=two_factor_on/), again.getByTestId('audit-filter').locator('button[type=submit]').click()]);
  const filtered = await again.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.action));
  assert.deepEqual(filtered, ['two_factor_on']);
  const [download] = await Promise.all([again.waitForEvent('download'), again.getByTestId('audit-csv').click()]);
  const path = await download.path();
  const csv = (await import('node:fs')).readFileSync(path, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.length, 2, csv);
  assert.match(lines[1], /two_factor_on/);
  await context.close();
});
