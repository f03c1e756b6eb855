// The reports page in a real browser on the demo data: every chart is drawn (SVG with a title
// and a description), picking a salesperson changes the numbers, and each CSV download holds
// exactly the rows of the table under its chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedInPage, closeAll } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(() => closeAll(browser, server));

const REPORTS = ['forecast', 'funnel', 'velocity', 'won-lost', 'activity'];

/** The plain values of a report table's rows, as the CSV file writes them. */
function tableRows(page, slug) {
  return page.$$eval(`[data-testid=table-${slug}] tbody tr`, (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.dataset.value)));
}

/** A CSV file's rows (after the header), split on commas outside quotes. */
function csvRows(text) {
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l.length > 0);
  const split = (line) => {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cell += '"'; i += 1; }
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { cells.push(cell); cell = ''; }
      else cell += c;
    }
    cells.push(cell);
    return cells;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

/** Deals in the forecast's "all stages" rows of its six months. */
async function forecastDeals(page) {
  const rows = await tableRows(page, 'forecast');
  return rows.filter((r) => /^\d{4}-\d{2}$/.test(r[0]) && r[1] === 'all').reduce((n, r) => n + Number(r[2]), 0);
}

test('each report is charted, a filter changes the numbers, the CSV matches the table', async () => {
  const page = await signedInPage(browser, server.base);
  await page.goto(`${server.base}/reports`);
  await page.getByTestId('report-filter').waitFor();

  for (const slug of REPORTS) {
    const chart = page.locator(`[data-testid=report-${slug}] svg[role=img]`).first();
    assert.ok(await chart.isVisible(), `${slug}: chart visible`);
    const labelled = await chart.getAttribute('aria-labelledby');
    assert.ok(labelled, `${slug}: chart labelled`);
    const title = await chart.locator('title').first().textContent();
    assert.ok(title.length > 0, `${slug}: chart titled`);
    assert.ok((await tableRows(page, slug)).length > 0, `${slug}: table has rows`);
  }
  const bars = await page.locator('[data-testid=report-forecast] svg rect title').count();
  assert.ok(bars > 0, 'the demo forecast draws bars with their figures as tooltips');

  // Every CSV download holds the rows of its table, cell for cell.
  for (const slug of REPORTS) {
    const href = await page.getByTestId(`csv-${slug}`).getAttribute('href');
    const res = await page.request.get(`${server.base}${href}`);
    assert.equal(res.status(), 200, `${slug}.csv`);
    const { header, rows } = csvRows(await res.text());
    const columns = await page.$$eval(`[data-testid=table-${slug}] thead th`, (ths) => ths.map((th) => th.dataset.column));
    assert.deepEqual(header, columns, `${slug}: columns`);
    assert.deepEqual(rows, await tableRows(page, slug), `${slug}: rows`);
  }

  // One salesperson's deals are fewer than the team's.
  const team = await forecastDeals(page);
  assert.ok(team > 0, 'the demo has open deals in the coming months');
  await page.locator('select[name=owner]').selectOption({ label: 'Sam Seller' });
  await Promise.all([page.waitForURL(/owner=/), page.getByTestId('report-apply').click()]);
  await page.getByTestId('report-filter').waitFor();
  const sams = await forecastDeals(page);
  assert.ok(sams < team, `Sam's forecast (${sams} deals) is part of the team's (${team})`);
  const href = await page.getByTestId('csv-forecast').getAttribute('href');
  assert.match(href, /owner=\d+/, 'the CSV link keeps the filter');
  const { rows } = csvRows(await (await page.request.get(`${server.base}${href}`)).text());
  assert.deepEqual(rows, await tableRows(page, 'forecast'), 'the filtered CSV matches the filtered table');
});
