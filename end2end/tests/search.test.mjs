// The header's search of everything: Ctrl-K from any page (even from inside another field)
// focuses it, typing a name without its accents finds the contact, the arrow keys walk the
// grouped hits and Enter opens the chosen one; without a hit Enter goes to /search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('Ctrl-K finds a contact by an accented name typed without accents, and Enter opens it', async () => {
  const page = await signedInPage(browser, server.base);
  const field = page.getByTestId('global-search-input');
  // From inside another field too (the board's filter).
  await page.locator('[data-search]').first().focus();
  await page.keyboard.press('Control+k');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'global-search-input');

  await page.keyboard.type('joao santos');
  const results = page.getByTestId('search-results');
  // The hits of the whole text (those of a part typed before may show first).
  await page.locator('[data-testid=search-results][data-answered="joao santos"]').waitFor();
  // The contact itself (deals of João Santos show his name beside them too).
  const hit = results.locator('[data-testid=search-hit][href^="/contacts/"]').filter({ hasText: 'João Santos' }).first();
  await hit.waitFor();
  const groups = await results.getByTestId('search-group').allInnerTexts();
  assert.ok(groups.some((g) => /^Contacts/i.test(g) && g.includes('João Santos')), groups.join('\n---\n'));

  // Walk down to the contact: the first hit is chosen, each ↓ chooses the next.
  const titles = await results.getByTestId('search-hit').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const target = await hit.getAttribute('href');
  const steps = titles.indexOf(target);
  assert.ok(steps >= 0, `${target} among ${titles}`);
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await hit.getAttribute('aria-selected'), 'true');
  assert.equal(await field.getAttribute('aria-activedescendant'), await hit.getAttribute('id'));

  await Promise.all([page.waitForURL(new RegExp(`${target}$`)), page.keyboard.press('Enter')]);
  await hydrated(page);
  assert.match(await page.locator('h1').first().innerText(), /João Santos/);

  // Nothing found says so; Escape closes the list; Enter with nothing shown opens /search.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('zzzz nobody');
  await page.getByTestId('search-nothing').waitFor();
  await page.keyboard.press('Escape');
  await results.waitFor({ state: 'hidden' });
  await Promise.all([page.waitForURL(/\/search\?query=zzzz/), page.keyboard.press('Enter')]);
  await page.getByTestId('search-nothing').waitFor();
  await page.context().close();
});
