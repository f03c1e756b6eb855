// Dark mode in a real browser: the system's dark setting darkens the app with no choice made,
// the header's toggle pins light or dark (kept across reloads and sign-ins, in this browser and
// a new one), and axe-core finds no serious or critical WCAG 2 A/AA violation on the main pages
// in either theme. Screenshots of the dark board, deal page and automation builder are saved
// under end2end/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, signedInPage, hydrated, contrastOf, DEMO, closeAll } from './support.mjs';

const AXE = readFileSync(join(import.meta.dirname, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SHOTS = join(import.meta.dirname, '..', 'screenshots');
const DESKTOP = { viewport: { width: 1400, height: 900 } };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(() => closeAll(browser, server));

/** The class on `<html>` ('' for none). */
function htmlClass(page) {
  return page.evaluate(() => document.documentElement.className);
}

/** The relative luminance (0 black … 1 white) of an element's painted background colour. */
function backgroundLuminance(locator) {
  return locator.evaluate((el) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = getComputedStyle(el).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const channel = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  });
}

/** Asserts that the board is painted dark (or light): page, cards and their text. */
async function assertBoardIs(page, theme) {
  const body = await backgroundLuminance(page.locator('body'));
  const card = await backgroundLuminance(page.locator('[data-testid=card]').first());
  if (theme === 'dark') {
    assert.ok(body < 0.05 && card < 0.05, `dark page and cards, got luminance ${body} and ${card}`);
  } else {
    assert.ok(body > 0.8 && card > 0.8, `light page and cards, got luminance ${body} and ${card}`);
  }
  const title = await contrastOf(page.locator('[data-testid=card-title]').first());
  assert.ok(title >= 4.5, `a card title reads at ${title.toFixed(2)}:1`);
}

/** Clicks a theme button of the header's toggle and waits for the page it reloads. */
async function choose(page, theme) {
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
    page.click(`[data-testid=theme-${theme}]`),
  ]);
  await page.waitForSelector(`[data-testid=theme-toggle][data-theme=${theme}]`);
  await hydrated(page);
}

/** Signs in through the login form of `page` and resolves to the HTML the board was sent as. */
async function signIn(page) {
  await page.goto(`${server.base}/login`);
  await hydrated(page);
  await page.fill('input[name=email]', DEMO.email);
  await page.fill('input[name=password]', DEMO.password);
  const boardDocument = page.waitForResponse((r) => r.url() === `${server.base}/` && r.request().resourceType() === 'document');
  await page.click('button[type=submit]');
  const html = await (await boardDocument).text();
  await page.waitForSelector('[data-testid=board]');
  await hydrated(page);
  return html;
}

/** The `class` attribute of the `<html>` tag a page was sent with (null for none). */
function sentClass(html) {
  const tag = html.match(/<html[^>]*>/)?.[0] ?? '';
  return tag.match(/ class="([^"]*)"/)?.[1] ?? null;
}

test('the system\'s dark setting darkens the board with no toggle touched', async () => {
  const page = await signedInPage(browser, server.base, { ...DESKTOP, colorScheme: 'dark' });
  assert.equal(await htmlClass(page), '', 'no choice: the system decides');
  assert.equal(await page.getAttribute('[data-testid=theme-toggle]', 'data-theme'), 'system');
  assert.equal(await page.getAttribute('[data-testid=theme-system]', 'aria-pressed'), 'true');
  await assertBoardIs(page, 'dark');
  await page.screenshot({ path: join(SHOTS, 'board-dark.png') });
  // Paper is white: printed, the page takes the light theme.
  await page.emulateMedia({ media: 'print' });
  await assertBoardIs(page, 'light');
  await page.context().close();
});

test('the toggle switches to light and back; the choice survives a reload and a new sign-in', async () => {
  const page = await signedInPage(browser, server.base, { ...DESKTOP, colorScheme: 'dark' });
  await choose(page, 'light');
  assert.equal(await htmlClass(page), 'light');
  assert.equal(await page.getAttribute('[data-testid=theme-light]', 'aria-pressed'), 'true');
  await assertBoardIs(page, 'light');
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  assert.equal(await htmlClass(page), 'light', 'kept across a reload');
  await assertBoardIs(page, 'light');

  await hydrated(page);
  await choose(page, 'dark');
  assert.equal(await htmlClass(page), 'dark');
  await assertBoardIs(page, 'dark');
  await page.reload();
  await page.waitForSelector('[data-testid=board]');
  assert.equal(await htmlClass(page), 'dark', 'kept across a reload');

  // Signed out and in again in this browser: still dark.
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/login/), page.click('text=Log out')]);
  assert.equal(await htmlClass(page), 'dark', 'the sign-in page follows the browser\'s choice');
  assert.equal(sentClass(await signIn(page)), 'dark');
  await assertBoardIs(page, 'dark');
  await page.context().close();

  // A new browser set to light: the board arrives dark from the first byte, as saved.
  const context = await browser.newContext({ ...DESKTOP, colorScheme: 'light' });
  const fresh = await context.newPage();
  assert.equal(sentClass(await signIn(fresh)), 'dark', 'the saved theme is in the HTML as sent');
  assert.equal(await htmlClass(fresh), 'dark');
  await assertBoardIs(fresh, 'dark');
  // "System" forgets the choice: this browser's light setting shows.
  await choose(fresh, 'system');
  assert.equal(await htmlClass(fresh), '');
  await assertBoardIs(fresh, 'light');
  await context.close();
});

/** The serious and critical WCAG 2 A/AA violations axe-core finds on the page, as text. */
async function axeViolations(page) {
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 6)
        .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()}`)
        .join('\n')}`);
  });
  return violations;
}

for (const theme of ['light', 'dark']) {
  test(`axe finds no serious or critical violation on the main pages, ${theme} theme`, async () => {
    // The system setting is the opposite one, so the choice has to come from the toggle.
    const page = await signedInPage(browser, server.base, { ...DESKTOP, colorScheme: theme === 'dark' ? 'light' : 'dark' });
    await choose(page, theme);
    // axe-core is loaded into every page this one opens (as the page's own scripts load, so the
    // Content-Security-Policy has no say).
    await page.addInitScript({ content: AXE });
    const card = await page.getAttribute('[data-testid=card]', 'data-card');
    await page.goto(`${server.base}/automations`);
    const firstAutomation = await page.locator('a[href^="/automations/"]:not([href$="/new"]):not([href$="/logs"])').first()
      .getAttribute('href').catch(() => null);
    const pages = [
      ['board', '/'],
      ['deal', `/deals/${card}`],
      ['activities', '/activities'],
      ['contacts', '/contacts'],
      ['organizations', '/organizations'],
      ['leaderboard', '/leaderboard'],
      ['automations', '/automations'],
      // The builder with a condition and one action of each kind, so their rows are checked too.
      ['automation-builder', '/automations/new', async () => {
        await page.click('[data-testid=add-condition]');
        for (const add of await page.locator('[data-testid^=add-action-]').all()) await add.click();
        await page.waitForSelector('[data-testid=condition-row]');
        await page.waitForSelector('[data-testid=action-card]');
      }],
      ...(firstAutomation ? [['automation', firstAutomation]] : []),
      ['settings', '/settings'],
    ];
    const found = [];
    for (const [name, path, prepare] of pages) {
      const res = await page.goto(`${server.base}${path}`);
      assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
      await hydrated(page);
      await prepare?.();
      assert.equal(await htmlClass(page), theme, path);
      const violations = await axeViolations(page);
      if (violations.length) found.push(`${path}:\n  ${violations.join('\n  ')}`);
      if (theme === 'dark' && ['board', 'deal', 'automation-builder'].includes(name)) {
        await page.screenshot({ path: join(SHOTS, `${name}-dark.png`), fullPage: name !== 'board' });
      }
    }
    assert.deepEqual(found, [], `axe, ${theme} theme:\n${found.join('\n')}`);
    await page.context().close();
  });
}
