// Starts a real Dealflow server (release build, fresh SQLite file with demo data) and Debian's
// Chromium for the browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.DEALFLOW_BIN ?? join(root, 'target', 'release', 'dealflow');
export const DEMO = { email: 'owner@demo.test', password: 'dealflow-demo' };

/** Starts the server on a free port; resolves to { base, stop }. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'dealflow-e2e-'));
  const port = 3400 + Math.floor(Math.random() * 500);
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    RUST_LOG: 'warn',
  };
  execFileSync(binary, ['demo'], { env, stdio: 'ignore' });
  const child = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop: () => child.kill('SIGTERM') };
}

/** Launches Chromium headless. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A new page in a fresh context, signed in through the login form and hydrated. */
export async function signedInPage(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1700, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await hydrated(page);
  await page.fill('input[name=email]', DEMO.email);
  await page.fill('input[name=password]', DEMO.password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  await page.waitForSelector('[data-testid=board]');
  await hydrated(page);
  return page;
}

/** Waits until the wasm half has hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated=true]', { timeout: 30_000 });
}

/** Per column: { id, count, total, weighted, cards: [ids] }, as shown. */
export async function board(page) {
  return page.$$eval('[data-testid=column]', (cols) => cols.map((c) => ({
    id: Number(c.dataset.column),
    count: Number(c.querySelector('[data-testid=column-count]').textContent),
    total: c.querySelector('[data-testid=column-total]').textContent,
    weighted: c.querySelector('[data-testid=column-weighted]').textContent,
    cards: [...c.querySelectorAll('[data-card]')].map((el) => Number(el.dataset.card)),
  })));
}

/** Drags a card with real mouse events so that it lands right above `beforeId` in `columnId`. */
export async function dragCard(page, cardId, columnId, beforeId) {
  const card = page.locator(`[data-card="${cardId}"] [data-testid=card-title]`);
  const from = await card.boundingBox();
  let to;
  if (beforeId != null) {
    const target = await page.locator(`[data-card="${beforeId}"]`).boundingBox();
    to = { x: target.x + target.width / 2, y: target.y + 4 };
  } else {
    const list = await page.locator(`[data-column="${columnId}"] [data-testid=cards]`).boundingBox();
    to = { x: list.x + list.width / 2, y: list.y + list.height - 4 };
  }
  await page.mouse.move(from.x + 10, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y + from.height / 2 + 10, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}
