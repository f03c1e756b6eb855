// What a browser downloads to show and hydrate a page: opens each path in a fresh Chromium
// context (no cache) with the given session cookie, waits until it is hydrated, and prints
// one line per path: "<path> <wasm bytes on the wire> <all bytes on the wire> <wasm files, by
// comma>" (the files as paths of the site, e.g. /pkg/dealflow.wasm).
//
// usage: node end2end/bench-download.mjs <base url> <cookie "name=value"> <path>...
import { chromium } from 'playwright-core';

const [base, cookie, ...paths] = process.argv.slice(2);
if (!base || !cookie || paths.length === 0) {
  console.error('usage: bench-download.mjs <base url> <cookie> <path>...');
  process.exit(2);
}
const [name, ...rest] = cookie.split('=');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  for (const path of paths) {
    const context = await browser.newContext();
    await context.addCookies([{ name, value: rest.join('='), url: base }]);
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
