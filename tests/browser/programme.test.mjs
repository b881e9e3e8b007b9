import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { signInAndEnrol } from './session.mjs';

// Journeys through the programme's features that need a manager or an
// administrator signing in for the first time (each file has its own server).
const MANAGER = 'helen.crossley@demo-borough.example';
let server;
let browser;

before(async () => {
  server = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const enrol = (page, email) => signInAndEnrol(page, server.baseUrl, email);

async function check(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
  await screenshot(page, name);
}

test('a team manager records an entry to care prevented for a young parent', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await enrol(page, MANAGER);
  await page.goto(server.baseUrl + '/young-people');
  await page.locator('tbody a').first().click();
  await page.getByRole('link', { name: 'Parenting' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Parenting');
  await check(page, 'parenting');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'parenting-error');
  await page.getByLabel('Entry to care prevented').check();
  await page.getByLabel('What happened and why').fill('Support at home meant the baby stayed with them.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.ok(await page.getByText('Recorded.', { exact: true }).isVisible());
  await check(page, 'parenting-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an LA administrator records a grant and spending for the year', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await enrol(page, 'alison.marsh@demo-borough.example');
  await page.getByRole('link', { name: 'Funding', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Funding');
  await check(page, 'funding');
  await page.getByRole('button', { name: 'Add spending' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'funding-error');
  await page.getByLabel('Where the money comes from').fill('Charity grant for the forum');
  await page.getByLabel('Amount').first().fill('2500');
  await page.getByRole('button', { name: 'Add grant' }).click();
  assert.ok(await page.getByText('Grant added.').isVisible());
  assert.ok(await page.getByRole('cell', { name: 'Charity grant for the forum' }).isVisible());
  await check(page, 'funding-saved');
  assert.deepEqual(problems, []);
  await context.close();
});
