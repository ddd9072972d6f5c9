// The officers' web interface in a real browser: log in, see the queue, approve a
// request and watch its status change; a forged form token and an auditor's approval
// are refused. Saves screenshots of the queue and of a request page.
// usage: node officer_flow.mjs BASE_URL SCREENSHOT_DIR APPROVE_ID OTHER_ID PASSWORD
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const [base, shots, approveId, otherId, password] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run'],
});
let failed = false;
const step = async (name, body) => {
  try {
    await body();
    console.log(`ok: ${name}`);
  } catch (error) {
    failed = true;
    console.log(`FAILED: ${name}: ${error.message}`);
  }
};

async function login(context, name) {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/queue`), page.click('button[type=submit]')]);
  return page;
}

// JavaScript is off for the officer: the essential actions must work without it.
const officer = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
let page;

await step('log in and see the queue', async () => {
  page = await login(officer, 'olga');
  const rows = page.locator('#queue tbody tr[data-request]');
  assert.ok(await rows.count() >= 2, 'the queue lists the open requests');
  assert.equal(await page.locator(`tr[data-request="${approveId}"] .status`).textContent(), 'pending_approval');
  assert.equal(await page.locator('svg rect').count(), 6, 'the chart has one bar per due-date bucket');
  const queueShot = path.join(shots, 'queue.png');
  await page.screenshot({ path: queueShot, fullPage: true });
  console.log(`screenshot: ${queueShot}`);
});

await step('approve a request and watch its status change', async () => {
  await page.click(`a[href="/requests/${approveId}"]`);
  assert.equal(await page.locator('#status').textContent(), 'pending_approval');
  const counts = await page.locator('#counts tbody tr').count();
  assert.ok(counts >= 3, `the dry run counts rows in several collections (saw ${counts})`);
  const requestShot = path.join(shots, 'request.png');
  await page.screenshot({ path: requestShot, fullPage: true });
  console.log(`screenshot: ${requestShot}`);
  await page.fill('form[action$="/approve"] input[name=reason]', 'identity proven by Telegram');
  await Promise.all([page.waitForURL(/done=approved/), page.click('#approve')]);
  assert.equal(await page.locator('#status').textContent(), 'approved');
  assert.match(await page.locator('.notice').textContent(), /Approved/);
  assert.match(await page.locator('#timeline').textContent(), /officer:olga/);
  await page.goto(`${base}/queue`);
  assert.equal(await page.locator(`tr[data-request="${approveId}"] .status`).textContent(), 'approved');
});

await step('a forged form token is refused', async () => {
  // A second context with scripts on, so the test can tamper with the form as an attacker would.
  const tamper = await browser.newContext({ javaScriptEnabled: true });
  const p = await login(tamper, 'olga');
  await p.goto(`${base}/requests/${otherId}`);
  await p.evaluate(() => {
    document.querySelector('form[action$="/approve"] input[name=csrf]').value = 'f'.repeat(64);
  });
  const [response] = await Promise.all([p.waitForNavigation(), p.click('#approve')]);
  assert.equal(response.status(), 403);
  await p.goto(`${base}/requests/${otherId}`);
  assert.equal(await p.locator('#status').textContent(), 'pending_approval');
  // A page on another origin posting to dsr: the SameSite=Strict cookie stays home, so no session.
  await p.setContent(`<form method="post" action="${base}/requests/${otherId}/approve"><button id="go">go</button></form>`);
  const [cross] = await Promise.all([p.waitForNavigation(), p.click('#go')]);
  assert.notEqual(cross.status(), 303, 'no action is taken');
  await p.goto(`${base}/requests/${otherId}`);
  assert.equal(await p.locator('#status').textContent(), 'pending_approval');
  await tamper.close();
});

await step("an auditor's approval is refused", async () => {
  const auditor = await browser.newContext({ javaScriptEnabled: true });
  const p = await login(auditor, 'audrey');
  await p.goto(`${base}/requests/${otherId}`);
  assert.equal(await p.locator('#approve').count(), 0, 'no approve button for an auditor');
  // Build the form the page does not offer, with the auditor's own valid token.
  await p.evaluate((id) => {
    const token = document.querySelector('input[name=csrf]').value;
    const form = document.createElement('form');
    form.method = 'post';
    form.action = `/requests/${id}/approve`;
    form.innerHTML = `<input name="csrf" value="${token}"><button id="forced">approve</button>`;
    document.body.appendChild(form);
  }, otherId);
  const [response] = await Promise.all([p.waitForNavigation(), p.click('#forced')]);
  assert.equal(response.status(), 403);
  await p.goto(`${base}/requests/${otherId}`);
  assert.equal(await p.locator('#status').textContent(), 'pending_approval');
  await auditor.close();
});

await browser.close();
process.exit(failed ? 1 : 0);
