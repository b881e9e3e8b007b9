import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { signIn as signInAs, signInAndEnrol } from './session.mjs';

// Impact reporting: a board member checks a figure against its records, the
// national programme sees every LA's counts, and an administrator checks the
// OC3 return (this file has its own server, so first sign-ins enrol here).
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

async function check(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
  await screenshot(page, name);
}

const enrol = (page, email) => signInAndEnrol(page, server.baseUrl, email);

test('a board member checks a figure of the impact report against its records', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signInAs(page, server.baseUrl, 'robert.lomax@demo-borough.example');
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Impact report');
  await check(page, 'impact-report');
  const link = page.locator('a[href^="/reports/impact/supported?"]');
  const figure = (await link.innerText()).split(':')[0].trim();
  await link.click();
  assert.equal(await page.locator('h1').innerText(), 'Young people supported in the period');
  assert.equal(await page.locator('[data-figure]').innerText(), figure);
  assert.equal(await page.locator('tbody tr').count(), Number(figure.replace(',', '')));
  await check(page, 'impact-records');
  await page.getByRole('link', { name: 'Back to the impact report' }).click();
  await page.getByRole('link', { name: 'Five Minute Facts for this period' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Five Minute Facts');
  assert.equal(await page.locator('svg.app-chart').count(), 3);
  await check(page, 'five-minute-facts');
  await page.goto(server.baseUrl + '/reports/impact');
  await page.getByRole('group', { name: 'From' }).getByLabel('Year').fill('2026');
  await page.getByRole('group', { name: 'To' }).getByLabel('Year').fill('2025');
  await page.getByRole('button', { name: 'Show the report' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.getByRole('group', { name: 'From' }).getByLabel('Year').inputValue(), '2026', 'what was typed is kept');
  await check(page, 'impact-report-error');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the national programme sees every LA as counts with small numbers suppressed', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await enrol(page, 'priya.raman@programme.example');
  await page.getByRole('link', { name: 'National', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'National roll-up');
  await check(page, 'national');
  await page.locator('a[href^="/national/supported?"]').click();
  assert.ok(await page.getByRole('rowheader', { name: 'Demo Borough' }).isVisible());
  assert.ok(await page.getByRole('rowheader', { name: 'All LAs' }).isVisible());
  await check(page, 'national-measure');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an administrator checks the OC3 return before downloading it', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await enrol(page, 'alison.marsh@demo-borough.example');
  await page.getByRole('link', { name: 'Imports', exact: true }).click();
  await page.getByRole('link', { name: 'OC3 return for care leavers' }).click();
  assert.equal(await page.locator('h1').innerText(), "OC3 return: care leavers' outcomes");
  await page.getByLabel('Collection year').selectOption('2025-26');
  await page.getByRole('button', { name: 'Show the year' }).click();
  assert.ok(await page.getByRole('link', { name: 'Download the OC3 file (CSV)' }).isVisible());
  await check(page, 'oc3-return');
  assert.deepEqual(problems, []);
  await context.close();
});
