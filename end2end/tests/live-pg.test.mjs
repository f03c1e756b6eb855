// The live board across app instances on PostgreSQL, in real browsers: a move made through
// instance A appears on a board open against instance B, without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { launchBrowser, signedInPage, board, spawnServer, closeAll } from './support.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.DEALFLOW_BIN ?? join(root, 'target', 'release', 'dealflow');
const pgBase = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `e2e_live_${process.pid}`;
const databaseUrl = `${pgBase}${pgBase.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;

let servers = [];
let browser;
let unavailable = null;
const psqlEnv = { ...process.env, PGOPTIONS: '--client-min-messages=warning' };

function psql(sql) {
  execFileSync('psql', [pgBase, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: psqlEnv, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function serve() {
  const env = { ...process.env, DATABASE_URL: databaseUrl, LEPTOS_SITE_ROOT: join(root, 'target', 'site'), RUST_LOG: 'warn' };
  const server = await spawnServer(env, '/readyz');
  servers.push(server);
  const { base } = server;
  return base;
}

before(async () => {
  try {
    psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  } catch (e) {
    // CI (DEALFLOW_REQUIRE_POSTGRES) needs PostgreSQL; elsewhere the test is skipped without it.
    if (process.env.DEALFLOW_REQUIRE_POSTGRES) throw e;
    unavailable = `PostgreSQL not reachable at ${pgBase}`;
    return;
  }
  execFileSync(binary, ['demo'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'ignore' });
  browser = await launchBrowser();
});

after(async () => {
  try {
    await closeAll(browser, ...servers);
  } finally {
    if (!unavailable) {
      try {
        psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } catch { /* best effort */ }
    }
  }
});

test('a move through instance A appears on a board open against instance B', async (t) => {
  if (unavailable) {
    t.skip(unavailable);
    return;
  }
  const a = await serve();
  const b = await serve();
  const watcher = await signedInPage(browser, b);
  const mover = await signedInPage(browser, a);
  const start = await board(watcher);
  await watcher.waitForTimeout(500); // the event stream is open
  const card = start[0].cards[0];
  const saved = mover.waitForResponse((r) => r.url().endsWith('/rpc/move_deal'));
  await mover.selectOption(`[data-card="${card}"] [data-testid=move-menu]`, `stage:${start[2].id}`);
  assert.equal((await saved).status(), 200);
  for (let i = 0; i < 50; i++) {
    const now = await board(watcher);
    if (now[2].cards.includes(card) && !now[0].cards.includes(card)) {
      await watcher.context().close();
      await mover.context().close();
      return;
    }
    await watcher.waitForTimeout(100);
  }
  assert.fail('the move made on instance A never showed on instance B');
});
