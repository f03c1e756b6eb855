// The app in Brazilian Portuguese: demo data loaded in pt-BR, the board's stages, money and
// dates as Brazilians write them, and the language picker switching to English and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ locale: 'pt-BR' });
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

test('the board speaks Brazilian Portuguese, with R$ and dd/mm/aaaa', async () => {
  const page = await signedInPage(browser, server.base);
  assert.equal(await page.getAttribute('html', 'lang'), 'pt-BR');
  const columns = await page.locator('[data-testid=column-name]').allTextContents();
  assert.ok(columns.includes('Negociação'), `stage names: ${columns}`);
  assert.ok(columns.includes('Proposta'), `stage names: ${columns}`);
  const nav = await page.locator('[data-testid=main-nav]').innerText();
  assert.match(nav, /Funil/);
  assert.match(nav, /Atividades/);
  const values = await page.locator('[data-testid=card-value]').allTextContents();
  assert.ok(values.length > 0, 'the board has cards');
  for (const v of values) {
    assert.match(v, /^R\$ \d{1,3}(\.\d{3})*,\d{2}$/, `a card's value: ${v}`);
  }
  const total = await page.locator('[data-testid=column-total]').first().textContent();
  assert.match(total, /^R\$ \d{1,3}(\.\d{3})*,\d{2}$/);
  const closes = await page.locator('[data-testid=card] span[title="Fechamento previsto"]').allTextContents();
  assert.ok(closes.length > 0, 'cards show their expected close');
  for (const c of closes) {
    assert.match(c, /^fecha em \d{2}\/\d{2}\/\d{4}$/, `a close date: ${c}`);
  }
  // An island renders in the page's language too: the move menu of a card.
  const menu = await page.locator('[data-testid=move-menu]').first().locator('option').allTextContents();
  assert.ok(menu.includes('Para o topo'), `move menu: ${menu}`);

  // English, then back: the choice sticks to the user.
  await page.selectOption('[data-testid=language-select]', 'en');
  await page.click('[data-testid=language-apply]');
  // The same address comes back in the other language.
  await page.waitForSelector('html[lang="en"] [data-testid=board]');
  assert.equal(page.url(), `${server.base}/`);
  const english = await page.locator('[data-testid=column-name]').allTextContents();
  assert.ok(english.includes('Negociação'), 'stage names are the account\'s, not translated');
  assert.match(await page.locator('[data-testid=main-nav]').innerText(), /Pipeline/);
  await page.selectOption('[data-testid=language-select]', 'pt-BR');
  await page.click('[data-testid=language-apply]');
  await page.waitForSelector('html[lang="pt-BR"] [data-testid=board]');
  await hydrated(page);
  await page.context().close();
});

test('before sign-in the browser language decides', async () => {
  const context = await browser.newContext({ locale: 'es-ES' });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal((await page.locator('button[type=submit]').first().textContent()).trim(), 'Iniciar sesión');
  await context.close();
});
