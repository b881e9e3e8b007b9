import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { totp } from './totp.mjs';

const PASSWORD = 'close-support-demo';
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

async function checkAccessible(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
  await screenshot(page, name);
}

async function signIn(page, email) {
  await page.goto(server.baseUrl + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a manager signs in, sets up two-factor authentication and signs out', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.baseUrl + '/sign-in');
  await checkAccessible(page, 'sign-in');
  // Masked, and open to password managers (nothing blocks paste or autofill).
  assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
  assert.equal(await page.getByLabel('Password').getAttribute('autocomplete'), 'current-password');
  assert.equal(await page.locator('[onpaste], [autocomplete="off"]').count(), 0);

  // A wrong password: one generic message, the email address kept.
  await page.getByLabel('Email address').fill('helen.crossley@demo-borough.example');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('.govuk-error-summary a').first().innerText(), 'Enter a correct email address and password');
  assert.equal(await page.getByLabel('Email address').inputValue(), 'helen.crossley@demo-borough.example');
  await checkAccessible(page, 'sign-in-error');

  // Managers must set up a second factor before anything else.
  await signIn(page, 'helen.crossley@demo-borough.example');
  assert.equal(new URL(page.url()).pathname, '/account/two-factor');
  assert.equal(await page.locator('h1').innerText(), 'Set up two-factor authentication');
  assert.ok(await page.locator('.app-qr svg').isVisible(), 'QR code drawn');
  await checkAccessible(page, 'two-factor-setup');
  await page.goto(server.baseUrl + '/young-people');
  assert.equal(new URL(page.url()).pathname, '/account/two-factor', 'nothing else until it is set up');

  await page.getByText('I cannot scan the QR code').click();
  const secret = await page.locator('code.app-secret').innerText();
  await page.getByLabel('Code from your app').fill(totp(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Two-factor authentication is set up');
  const codes = await page.locator('.app-code-list li').allInnerTexts();
  assert.equal(codes.length, 10);
  await checkAccessible(page, 'recovery-codes');

  await page.getByRole('button', { name: 'Continue' }).or(page.getByRole('link', { name: 'Continue' })).first().click();
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.equal(await page.locator('h1').innerText(), 'Hello, Helen');
  await checkAccessible(page, 'home-manager');

  await page.getByRole('link', { name: 'Young people', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Young people');
  await checkAccessible(page, 'young-people');
  await page.locator('tbody a').first().click();
  assert.ok(await page.getByText('Care-leaver status').isVisible());
  await checkAccessible(page, 'young-person');

  await page.getByRole('link', { name: 'Audit' }).click();
  assert.ok(await page.getByRole('cell', { name: 'Viewed a record' }).first().isVisible(), 'the view was audited');
  await checkAccessible(page, 'audit');

  await page.getByRole('link', { name: 'Imports' }).click();
  await checkAccessible(page, 'imports');
  // Check the files, see what would change, then confirm.
  const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByLabel('Header file').setInputFiles(csv('header.csv', 'CHILD,SEX,DOB,ETHNIC\nWEB1,1,10/06/2007,WBRI\n'));
  await page.getByLabel('Episodes file').setInputFiles(csv('episodes.csv',
    'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n' +
    'WEB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n'));
  await page.getByRole('button', { name: 'Check files' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Check what the import will change');
  await checkAccessible(page, 'imports-check');
  await page.getByRole('button', { name: 'Confirm import' }).click();
  assert.ok(await page.getByText('1 child imported').isVisible());
  await checkAccessible(page, 'imports-done');

  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.ok(await page.getByText('You have signed out.').isVisible());
  await checkAccessible(page, 'signed-out');
  await page.goto(server.baseUrl + '/home');
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'the session has ended');

  // Next time: password, then a code (a recovery code works once).
  await signIn(page, 'helen.crossley@demo-borough.example');
  assert.equal(new URL(page.url()).pathname, '/sign-in/code');
  await checkAccessible(page, 'sign-in-code');
  await page.getByLabel('Enter your security code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a personal adviser signs in without a second factor and creates an API token', async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'daniel.okafor@demo-borough.example');
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.ok(await page.getByText('Over the caseload cap').isVisible(), 'Daniel has 9 young people against a cap of 8');
  assert.equal(await page.getByRole('link', { name: 'Audit' }).count(), 0, 'advisers have no audit link');
  await page.getByRole('link', { name: 'Account' }).click();
  await checkAccessible(page, 'account');
  // Signed in on a second browser too: the first can sign it out, password typed again.
  const elsewhere = await openPage(browser);
  await signIn(elsewhere.page, 'daniel.okafor@demo-borough.example');
  await page.getByRole('link', { name: 'Your sessions' }).click();
  assert.ok(await page.getByText('This session').isVisible());
  await checkAccessible(page, 'sessions');
  await page.getByRole('button', { name: 'Sign out of all other sessions' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('.govuk-error-summary a').first().innerText(), 'Enter your password');
  await checkAccessible(page, 'sessions-error');
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign out of all other sessions' }).click();
  assert.ok(await page.getByText('1 other session ended.').isVisible());
  await elsewhere.page.goto(server.baseUrl + '/home');
  assert.equal(new URL(elsewhere.page.url()).pathname, '/sign-in', 'the other browser was signed out');
  await elsewhere.context.close();
  await page.goto(server.baseUrl + '/account/password');
  await page.getByLabel('Current password').fill('not the password');
  await page.getByLabel('New password', { exact: true }).fill('lantern-river-oak-7');
  await page.getByLabel('Type the new password again').fill('lantern-river-oak-7');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await page.title(), /^Error: /);
  await checkAccessible(page, 'password-error');
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await page.getByLabel('What is it for?').fill('Report script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.locator('.govuk-notification-banner code').innerText();
  assert.match(token, /^sc_[0-9a-f]{64}$/);
  await checkAccessible(page, 'account-token-created');
  const api = await fetch(server.baseUrl + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 200);
  assert.equal((await api.json()).role, 'personal_adviser');
  await page.getByRole('button', { name: /Revoke/ }).click();
  const after = await fetch(server.baseUrl + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an LA administrator changes a setting, with errors shown the GOV.UK way', async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'alison.marsh@demo-borough.example');
  assert.equal(new URL(page.url()).pathname, '/account/two-factor');
  await page.getByText('I cannot scan the QR code').click();
  await page.getByLabel('Code from your app').fill(totp(await page.locator('code.app-secret').innerText()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Settings for Demo Borough');
  await checkAccessible(page, 'settings');
  await page.getByLabel('Caseload cap').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.getByLabel('Caseload cap').inputValue(), '0', 'what was typed is kept');
  await checkAccessible(page, 'settings-error');
  await page.getByLabel('Caseload cap').fill('9');
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.ok(await page.getByText('Settings saved.').isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a 375 px phone the cohort page never scrolls sideways; the table scrolls in its own labelled region', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 375, height: 740 } });
  await signIn(page, 'daniel.okafor@demo-borough.example');
  await page.goto(server.baseUrl + '/young-people');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px window`);
  const region = page.getByRole('region', { name: /Young people/ });
  assert.equal(await region.getAttribute('tabindex'), '0', 'keyboard users can scroll it');
  const table = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(table.scroll > table.client, 'the wide table scrolls inside its region');
  await checkAccessible(page, 'young-people-phone');
  assert.deepEqual(problems, []);
  await context.close();
});
