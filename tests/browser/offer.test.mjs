import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';

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

test('a member of the public reads the Demo Borough Local Offer without signing in', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 375, height: 740 } });
  await page.goto(server.baseUrl + '/offer/990');
  assert.equal(await page.locator('h1').innerText(), 'Local Offer for care leavers');
  assert.ok(await page.getByRole('heading', { name: 'Accommodation' }).isVisible());
  assert.ok(await page.getByRole('heading', { name: 'Council tax exemption' }).isVisible());
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'nobody is signed in');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px window`);
  assert.deepEqual(await axeViolations(page), [], 'axe violations on the Local Offer');
  await screenshot(page, 'offer-public');
  await page.goto(server.baseUrl + '/offer/123');
  assert.equal(await page.locator('h1').innerText(), 'Page not found');
  assert.deepEqual(await axeViolations(page), [], 'axe violations on the 404 page');
  assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
  await context.close();
});
