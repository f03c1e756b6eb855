// Starts a real Dealflow server (release build, fresh SQLite file with demo data) and Debian's
// Chromium for the browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.DEALFLOW_BIN ?? join(root, 'target', 'release', 'dealflow');
export const DEMO = { email: 'owner@demo.test', password: 'dealflow-demo' };

/**
 * Spawns `dealflow serve` on a port the system picks (so never one the browser refuses) and
 * resolves to { base, child, stop } once `path` answers. The server's log is passed through
 * and kept: `stop()` ends the process and throws when the log shows a panic, which fails the
 * test file (a browser retries a GET whose connection dropped, so a panicking page can look
 * fine on screen).
 */
export async function spawnServer(env, path = '/healthz') {
  const child = spawn(binary, ['serve', '--addr', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
    process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // Whatever happens to the test file, its server ends with it.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  child.once('exit', () => process.removeListener('exit', orphan));
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`dealflow serve exited with ${code}`)));
  });
  child.stdout.resume();
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}${path}`)).ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    assertNoPanic(log, base);
  };
  return { base, child, stop };
}

/**
 * Closes the browsers and stops the servers given (falsy ones are skipped), every one of them
 * even when another fails, then throws the first failure: a Content-Security-Policy violation,
 * a panic in a server's log. A teardown that stopped at the first failure would leave a server
 * running, and the test file would never end.
 */
export async function closeAll(...things) {
  const results = await Promise.allSettled(
    things.filter(Boolean).map((t) => (typeof t.stop === 'function' ? t.stop() : t.close())),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Throws when a server log shows a panic. */
export function assertNoPanic(log, base) {
  const at = log.indexOf('panicked at');
  if (at >= 0) {
    throw new Error(`the server at ${base} panicked:\n${log.slice(Math.max(0, at - 200), at + 2000)}`);
  }
}

/**
 * Starts the server on a fresh SQLite file with demo data (in `locale`: en, es or pt-BR), with
 * `env` added to its environment; resolves to { base, stop }.
 */
export async function startServer({ locale = 'en', env: extra = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dealflow-e2e-'));
  const env = {
    ...process.env,
    ...extra,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    RUST_LOG: 'warn',
    // Tests sign in far faster than people do; every other budget stays as shipped.
    DEALFLOW_RATE_LIMITS: 'sign_in=600',
  };
  execFileSync(binary, ['demo', '--locale', locale], { env, stdio: 'ignore' });
  const { base, stop } = await spawnServer(env);
  return { base, stop };
}

/**
 * Launches Chromium headless. Every page of every context it opens is watched for
 * Content-Security-Policy violations (Chromium reports each one on the console):
 * `browser.close()` throws when there was one, which fails the test that closes it.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const violations = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
    });
    // The last page the tab loaded, as the server answered it (for `hydrated`'s failures).
    page.on('response', (res) => {
      if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) {
        const h = res.headers();
        page.lastDocument = `${res.status()} ${res.url()} (content-security-policy: ${h['content-security-policy'] ?? 'none'}; date: ${h.date})`;
      }
    });
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('page', watch);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    watch(page);
    return page;
  };
  const close = browser.close.bind(browser);
  browser.close = async (...args) => {
    await close(...args);
    if (violations.length) {
      throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`);
    }
  };
  browser.cspViolations = violations;
  return browser;
}

/**
 * A new page in a fresh context (a wide desktop unless `options` says otherwise: a phone's
 * viewport, touch), signed in through the login form and hydrated.
 */
export async function signedInPage(browser, base, options = { viewport: { width: 1700, height: 1000 } }) {
  const context = await browser.newContext(options);
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

/** Waits until the wasm half has hydrated the page; says what the server sent when it does not. */
export async function hydrated(page) {
  try {
    await page.waitForSelector('html[data-hydrated=true]', { timeout: 30_000 });
  } catch (e) {
    e.message += `\nthe page as the server sent it: ${page.lastDocument ?? 'unknown'}`;
    throw e;
  }
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

/**
 * The contrast ratio (WCAG 2) of an element's text against the first opaque background
 * behind it, as the browser paints their colors.
 */
export async function contrastOf(locator) {
  return locator.evaluate((el) => {
    const paint = (css) => {
      const canvas = document.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return { rgb: [r, g, b], a };
    };
    const fg = paint(getComputedStyle(el).color).rgb;
    let bg = [255, 255, 255];
    for (let n = el; n; n = n.parentElement) {
      const c = paint(getComputedStyle(n).backgroundColor);
      if (c.a === 255) {
        bg = c.rgb;
        break;
      }
    }
    const channel = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}

/**
 * A real SMTP listener on a loopback port that accepts every message; resolves to
 * { url, messages, message(to, pattern), stop }. `message` waits for a message to `to` whose
 * text (quoted-printable undone) matches `pattern`, and resolves to that match.
 */
export async function startSmtp() {
  const messages = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data = null;
    let to = [];
    socket.write('220 e2e.local ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push({ to, text: data.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
            data = null;
            to = [];
            socket.write('250 queued\r\n');
          } else {
            data += `${line}\n`;
          }
          continue;
        }
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO') || upper.startsWith('HELO')) socket.write('250-e2e.local\r\n250 8BITMIME\r\n');
        else if (upper.startsWith('RCPT TO:')) { to.push(line.slice(8).trim()); socket.write('250 OK\r\n'); }
        else if (upper === 'DATA') { data = ''; socket.write('354 go on\r\n'); }
        else if (upper === 'QUIT') { socket.end('221 bye\r\n'); }
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const message = async (address, pattern, timeout = 30_000) => {
    const until = Date.now() + timeout;
    for (;;) {
      for (const m of messages) {
        const found = m.to.some((t) => t.includes(address)) && m.text.match(pattern);
        if (found) return found;
      }
      if (Date.now() > until) throw new Error(`no message to ${address} matching ${pattern}; got ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { url: `smtp://127.0.0.1:${port}`, messages, message, stop: () => new Promise((r) => server.close(r)) };
}
