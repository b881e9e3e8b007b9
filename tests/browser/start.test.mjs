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

test('the start page is accessible, styled and free of console errors', async () => {
  const { context, page, problems } = await openPage(browser);
  const response = await page.goto(server.baseUrl + '/');
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').innerText(), 'Staying Close');
  assert.match(await page.title(), /Staying Close/);
  // GOV.UK Frontend's JavaScript ran under the strict CSP.
  assert.match(await page.locator('body').getAttribute('class'), /govuk-frontend-supported/);
  // The compiled GOV.UK styles loaded, with Arial in place of the GOV.UK typeface.
  const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
  assert.match(font, /arial/i);
  assert.ok(await page.getByText('Demo Borough').isVisible());
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'start');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the skip link is the first thing a keyboard reaches', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(server.baseUrl + '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.textContent.trim());
  assert.equal(focused, 'Skip to main content');
  await context.close();
});

test('the start page works without JavaScript', async () => {
  const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(server.baseUrl + '/');
  assert.equal(await page.locator('h1').innerText(), 'Staying Close');
  assert.ok(await page.getByText('Second Demo').isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test('the not-found page is accessible', async () => {
  const { context, page, problems } = await openPage(browser);
  const response = await page.goto(server.baseUrl + '/no-such-page');
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Page not found');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the accessibility check itself catches a broken page', async () => {
  // Guards against a harness that silently checks nothing.
  const { context, page } = await openPage(browser);
  await page.setContent('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></body></html>');
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.startsWith('image-alt')), violations.join('\n'));
  assert.ok(violations.some((v) => v.startsWith('label')), violations.join('\n'));
  await context.close();
});
