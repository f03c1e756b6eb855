// What a browser downloads to show and hydrate a page: opens each path in a fresh Chromium
// context (no cache) with the given session cookie, waits until it is hydrated, and prints
// one line per path: "<path> <wasm bytes on the wire> <all bytes on the wire> <wasm files, by
// comma>" (the files as paths of the site, e.g. /pkg/dealflow.wasm).
//
// usage: node end2end/bench-download.mjs <base url> <cookie header "a=1; b=2"> <path>...
//
// With BENCH_HYDRATE_RUNS=<n> each path is also opened n more times (fresh context each time)
// and a line per path goes to stderr: the median time from navigation to
// `html[data-hydrated]`, and when each wasm file was requested and done (ms, first run); and
// one to stdout, "tti <path> <median ms to hydrated> <median ms to the load event with
// JavaScript off>" — the same page, shown but never hydrated, as the baseline.
// BENCH_NETWORK="<latency ms>,<download kbit/s>" has Chromium emulate that network.
import { chromium } from 'playwright-core';

const [base, cookie, ...paths] = process.argv.slice(2);
if (!base || !cookie || paths.length === 0) {
  console.error('usage: bench-download.mjs <base url> <cookie> <path>...');
  process.exit(2);
}
// A Cookie header ("a=1; b=2"): every cookie the sign-in set.
const cookies = cookie.split(/;\s*/).filter(Boolean).map((pair) => {
  const at = pair.indexOf('=');
  return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const runs = Number(process.env.BENCH_HYDRATE_RUNS ?? 0);
const network = process.env.BENCH_NETWORK?.split(',').map(Number);

/** Opens `path` in a fresh context with JavaScript off; resolves to ms until its load event. */
async function timeWithoutScripts(path) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(base + path, { waitUntil: 'load' });
  const ms = performance.now() - start;
  await context.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Opens `path` in a fresh context; resolves to ms until hydrated and the wasm fetches. */
async function timeHydration(path) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  if (network) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: network[0],
      downloadThroughput: (network[1] * 1024) / 8,
      uploadThroughput: (network[1] * 1024) / 8,
    });
  }
  await page.addInitScript(() => {
    // The script runs before <html> exists: watch the whole document.
    new MutationObserver((_, observer) => {
      if (document.documentElement?.dataset.hydrated === 'true') {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  await page.goto(base + path);
  await page.waitForSelector('html[data-hydrated=true]', { state: 'attached', timeout: 60000 });
  const result = await page.evaluate(() => ({
    hydrated: window.__hydratedAt,
    wasm: performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.wasm'))
      .map((e) => `${new URL(e.name).pathname.split('/').pop()}@${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`),
  }));
  await context.close();
  return result;
}

try {
  for (const path of runs > 0 ? paths : []) {
    const times = [];
    const plain = [];
    let first;
    for (let i = 0; i < runs; i++) {
      const r = await timeHydration(path);
      times.push(r.hydrated);
      first ??= r;
      plain.push(await timeWithoutScripts(path));
    }
    console.error(`${path} hydrated after ${Math.round(median(times))} ms (median of ${runs}; ` +
      `${times.map(Math.round).join(' ')}); wasm ${first.wasm.join(' ')}; ` +
      `without scripts loaded after ${Math.round(median(plain))} ms`);
    console.log(`tti ${path} ${Math.round(median(times))} ${Math.round(median(plain))}`);
  }
  for (const path of paths) {
    const context = await browser.newContext();
    await context.addCookies(cookies);
    const page = await context.newPage();
    const responses = [];
    page.on('requestfinished', (request) => responses.push(request));
    const res = await page.goto(base + path);
    if (!res || !res.ok()) throw new Error(`${path}: HTTP ${res ? res.status() : 'no answer'}`);
    // Hydration ends after the page's own wasm has loaded; the network may be idle before it
    // starts (while the main file compiles), so wait for the page to say it is interactive.
    await page.waitForSelector('html[data-hydrated=true]', { state: 'attached', timeout: 60000 });
    await page.waitForLoadState('networkidle');
    let wasm = 0, all = 0;
    const files = [];
    for (const request of responses) {
      const { responseBodySize, responseHeadersSize } = await request.sizes();
      all += responseBodySize + responseHeadersSize;
      const file = new URL(request.url()).pathname;
      if (file.endsWith('.wasm')) {
        wasm += responseBodySize;
        files.push(file);
      }
    }
    console.log(`${path} ${wasm} ${all} ${files.join(',')}`);
    await context.close();
  }
} finally {
  await browser.close();
}
