import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { signIn as signInAs } from './session.mjs';
import { totp } from './totp.mjs';

const ADVISER = 'daniel.okafor@demo-borough.example';
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

// Page scripts (axe among them) cannot run with JavaScript off; those pages
// are the same markup, checked with it on.
async function checkAccessible(page, name) {
  if (!(await jsOn(page))) return screenshot(page, name);
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
  await screenshot(page, name);
}

const jsEnabled = new WeakMap();
async function jsOn(page) {
  return jsEnabled.get(page) ?? true;
}

const signIn = (page, email) => signInAs(page, server.baseUrl, email);

async function noSidewaysScroll(page) {
  if (!(await jsOn(page))) return;
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px window`);
}

for (const javaScriptEnabled of [true, false]) {
  test(`a personal adviser on a 375 px phone records a home visit from My week (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 375, height: 740 }, javaScriptEnabled });
    jsEnabled.set(page, javaScriptEnabled);
    await signIn(page, ADVISER);
    await page.goto(server.baseUrl + '/my-week');
    assert.equal(await page.locator('h1').innerText(), 'My week');
    await noSidewaysScroll(page);
    await checkAccessible(page, `my-week-phone-js-${javaScriptEnabled}`);

    await page.locator('table a[href$="/contacts"]').first().click();
    assert.equal(await page.locator('h1').innerText(), 'Contacts and visits');
    await noSidewaysScroll(page);
    await checkAccessible(page, `contacts-phone-js-${javaScriptEnabled}`);
    const before = await page.locator('.govuk-summary-card').count();
    assert.ok(before > 0, 'eighteen months of contacts, a page at a time');

    // A mistake first: the duration left out.
    await page.getByRole('button', { name: 'Save contact' }).click();
    assert.match(await page.title(), /^Error: /);
    assert.equal(await page.locator('.govuk-error-summary a').first().innerText(), 'Enter how long the contact lasted, in minutes');
    await checkAccessible(page, `contacts-error-js-${javaScriptEnabled}`);

    await page.getByLabel('Home visit').check();
    await page.getByLabel('How long, in minutes').fill('60');
    await page.getByLabel('Notes (optional)').fill('Cooked a curry together and planned the shop');
    await page.getByRole('button', { name: 'Save contact' }).click();
    assert.ok(await page.getByText('Contact recorded.').isVisible());
    assert.ok(await page.getByText('Cooked a curry together and planned the shop').isVisible());
    assert.match(await page.locator('.govuk-summary-list').first().innerText(), /Next home visit due/);
    await checkAccessible(page, `contacts-saved-js-${javaScriptEnabled}`);
    await page.getByRole('link', { name: /^Back to / }).click();
    await page.getByRole('link', { name: 'Journey' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Journey');
    assert.ok(await page.getByText('Cooked a curry together').count() === 0, 'notes stay on the contacts page');
    await noSidewaysScroll(page);
    await checkAccessible(page, `journey-js-${javaScriptEnabled}`);
    if (javaScriptEnabled) assert.deepEqual(problems, []);
    await context.close();
  });
}

test('a stale edit shows both versions and keeps what was typed', { timeout: 120_000 }, async () => {
  const first = await openPage(browser);
  const second = await openPage(browser);
  for (const { page } of [first, second]) await signIn(page, ADVISER);
  await first.page.goto(server.baseUrl + '/young-people');
  const href = await first.page.locator('tbody a').first().getAttribute('href');
  for (const { page } of [first, second]) await page.goto(server.baseUrl + href + '/edit');
  await checkAccessible(first.page, 'record-edit');

  await first.page.getByLabel('Pronouns (optional)').fill('she/her');
  await first.page.getByRole('button', { name: 'Save changes' }).click();
  assert.ok(await first.page.getByText('Record saved.').isVisible());

  await second.page.getByLabel('Pronouns (optional)').fill('they/them');
  await second.page.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await second.page.title(), /^Error: /);
  const table = second.page.getByRole('table', { name: 'The saved record and your changes' });
  assert.ok(await table.getByRole('cell', { name: 'she/her' }).isVisible(), 'their saved value');
  assert.ok(await table.getByRole('cell', { name: 'they/them' }).isVisible(), 'my value');
  assert.equal(await second.page.getByLabel('Pronouns (optional)').inputValue(), 'they/them', 'what I typed is kept');
  await checkAccessible(second.page, 'record-conflict');
  await second.page.getByRole('button', { name: 'Save changes' }).click();
  assert.ok(await second.page.getByText('Record saved.').isVisible());
  assert.ok(await second.page.getByText('they/them').isVisible());
  assert.deepEqual([...first.problems, ...second.problems], []);
  await first.context.close();
  await second.context.close();
});

for (const javaScriptEnabled of [true, false]) {
test(`a personal adviser adds a young person, correcting a wrong NHS number (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser, { javaScriptEnabled });
  jsEnabled.set(page, javaScriptEnabled);
  await signIn(page, ADVISER);
  await page.goto(server.baseUrl + '/young-people');
  await page.getByRole('link', { name: 'Add a young person' }).click();
  await checkAccessible(page, `record-new-js-${javaScriptEnabled}`);
  await page.getByLabel('First name').fill('Amani');
  await page.getByLabel('Last name').fill('Okoro');
  await page.getByLabel('Day').first().fill('14');
  await page.getByLabel('Month').first().fill('2');
  await page.getByLabel('Year').first().fill('2007');
  await page.getByLabel('Child ID').fill(javaScriptEnabled ? 'WEBNEW1' : 'WEBNEW2');
  await page.getByLabel('NHS number (optional)').fill('943 476 5918');
  await page.getByLabel('Eid al-Fitr').check();
  await page.getByRole('button', { name: 'Add young person' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a real NHS number/);
  assert.ok(await page.getByLabel('Eid al-Fitr').isChecked(), 'ticked boxes stay ticked');
  await checkAccessible(page, `record-new-error-js-${javaScriptEnabled}`);
  await page.getByLabel('NHS number (optional)').fill('943 476 5919');
  await page.getByRole('button', { name: 'Add young person' }).click();
  assert.ok(await page.getByText('Young person added.').isVisible());
  assert.equal(await page.locator('h1').innerText(), 'Amani Okoro');
  await checkAccessible(page, `record-added-js-${javaScriptEnabled}`);
  assert.deepEqual(problems, []);
  await context.close();
});
}

test('an LA administrator adds a member of staff from the team page', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'alison.marsh@demo-borough.example');
  await page.getByText('I cannot scan the QR code').click();
  await page.getByLabel('Code from your app').fill(totp(await page.locator('code.app-secret').innerText()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Team', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Team');
  assert.ok(await page.getByText('1 personal adviser is over the caseload cap of 8.').isVisible());
  await checkAccessible(page, 'team');
  await page.getByRole('button', { name: 'Add member of staff' }).click();
  assert.match(await page.title(), /^Error: /);
  await checkAccessible(page, 'team-error');
  await page.getByLabel('Full name').fill('Priya Shah');
  await page.getByLabel('Work email address').fill('priya.shah@demo-borough.example');
  await page.getByLabel('Personal adviser').check();
  await page.getByRole('button', { name: 'Add member of staff' }).click();
  assert.ok(await page.getByText('Account made').isVisible());
  assert.match(await page.locator('code.app-secret').innerText(), /\/reset-password\//);
  assert.ok(await page.getByRole('rowheader', { name: 'Priya Shah' }).isVisible());
  await checkAccessible(page, 'team-added');
  await page.getByRole('link', { name: 'Change Priya Shah' }).click();
  await checkAccessible(page, 'team-member');
  await page.getByLabel(/nurse/i).check();
  await page.getByRole('button', { name: 'Save role' }).click();
  assert.match(await page.getByRole('row', { name: /Priya Shah/ }).innerText(), /nurse/i);
  assert.deepEqual(problems, []);
  await context.close();
});
