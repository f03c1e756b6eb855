// How a page loads its wasm: the chunks of the page's lazy islands are fetched beside the main
// wasm, not discovered one after another once it runs, and every island gets hydrated. What a
// page needs is named in its answer's `Link` header (stylesheet, main wasm and its glue first,
// then the chunks), so the browser asks for it with the first bytes of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, hydrated, closeAll } from './support.mjs';

let server;
let browser;
let cookies;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = await signedInPage(browser, server.base);
  cookies = await page.context().cookies();
  await page.context().close();
});

after(() => closeAll(browser, server));

/** The `Link` header as [{ path, params }], in order. */
function links(header) {
  return (header ?? '').split(/,\s*(?=<)/).filter(Boolean).map((entry) => {
    const [target, ...params] = entry.split(';').map((p) => p.trim());
    return { path: target.replace(/^<|>$/g, ''), params };
  });
}

/** Opens `path` with an empty cache; what the page fetched and preloaded, once hydrated. */
async function load(path) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const res = await page.goto(`${server.base}${path}`);
  assert.equal(res.status(), 200, path);
  await hydrated(page);
  const seen = await page.evaluate(() => ({
    ready: performance.getEntriesByName('dealflow:wasm-ready')[0]?.startTime,
    wasm: performance.getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.wasm'))
      .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime })),
    preloaded: [...document.querySelectorAll('link[rel=preload][as=fetch]')]
      .map((l) => new URL(l.href).pathname),
    islands: document.querySelectorAll('leptos-island').length,
  }));
  await context.close();
  seen.links = links(res.headers()['link']);
  seen.preloaded.push(...seen.links.map((l) => l.path));
  return seen;
}

for (const path of ['/', '/settings', '/automations/new']) {
  test(`${path}: its lazy islands' chunks load beside the main wasm`, async () => {
    const seen = await load(path);
    assert.ok(seen.islands > 0, `${path} has islands`);
    assert.ok(seen.ready !== undefined, `${path}: the loader marks when the main wasm is ready`);
    const main = seen.wasm.filter((w) => w.path === '/pkg/dealflow.wasm');
    const chunks = seen.wasm.filter((w) => w.path !== '/pkg/dealflow.wasm');
    assert.equal(main.length, 1, JSON.stringify(seen.wasm));
    // The Link header: the stylesheet, the main wasm, its glue, then the chunks, each once.
    const named = seen.links;
    assert.ok(named.length > 3, `${path}: ${JSON.stringify(named)}`);
    assert.match(named[0].path, /^\/pkg\/.+\.css$/);
    assert.deepEqual(named[0].params, ['rel=preload', 'as=style']);
    assert.equal(named[1].path, '/pkg/dealflow.wasm');
    assert.match(named[2].path, /^\/pkg\/.+\.js$/);
    assert.deepEqual(named[2].params, ['rel=modulepreload']);
    for (const chunk of named.slice(3)) {
      assert.match(chunk.path, /^\/pkg\/.+\.wasm$/);
      assert.deepEqual(chunk.params,
        ['rel=preload', 'as=fetch', 'type="application/wasm"', 'crossorigin'], chunk.path);
    }
    assert.equal(new Set(named.map((l) => l.path)).size, named.length, 'each file named once');
    assert.ok(chunks.length > 0, `${path} loads lazy chunks: ${JSON.stringify(seen.wasm)}`);
    for (const chunk of chunks) {
      assert.ok(seen.preloaded.includes(chunk.path), `${chunk.path} preloaded: ${seen.preloaded}`);
      assert.ok(chunk.start < seen.ready,
        `${chunk.path} requested at ${chunk.start} ms, before the main wasm was ready at ${seen.ready} ms`);
    }
  });
}

test('the page policy runs the app and nothing injected', async () => {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const res = await page.goto(`${server.base}/`);
  const policy = res.headers()['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/, policy);
  assert.match(policy, /frame-ancestors 'none'/, policy);
  // The app's own scripts (loader, wasm) ran: the page hydrated.
  await hydrated(page);
  // A script injected without the nonce does not run, and the watch on violations sees it.
  const before = browser.cspViolations.length;
  await page.addScriptTag({ content: 'window.__injected = true;' }).catch(() => {});
  assert.equal(await page.evaluate(() => window.__injected), undefined, 'an injected script ran');
  await page.waitForTimeout(200);
  assert.ok(browser.cspViolations.length > before, 'the violation was reported');
  browser.cspViolations.splice(before);
  await context.close();
});
