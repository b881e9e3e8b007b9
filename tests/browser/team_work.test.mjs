import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { signIn as signInAs } from './session.mjs';
import { totp } from './totp.mjs';

const MANAGER = 'helen.crossley@demo-borough.example';
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

const signIn = (page, email) => signInAs(page, server.baseUrl, email);

async function check(page, name, javaScriptEnabled = true) {
  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
  await screenshot(page, `${name}-js-${javaScriptEnabled}`);
}

test('a team manager allocates a care-leaver nurse and sees who worked with a young person before', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, MANAGER);
  await page.getByText('I cannot scan the QR code').click();
  await page.getByLabel('Code from your app').fill(totp(await page.locator('code.app-secret').innerText()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.goto(server.baseUrl + '/young-people');
  await page.locator('tbody a').first().click();
  await page.getByRole('link', { name: 'Who works with them' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Who works with them');
  await check(page, 'workers');

  // A mistake first: nobody chosen.
  await page.getByLabel('Care-leaver nurse').check();
  await page.getByRole('button', { name: 'Save allocation' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('.govuk-error-summary a').first().innerText(), 'Choose who will take this on');
  await check(page, 'workers-error');
  const nurse = await page.getByLabel('Who', { exact: true }).locator('option', { hasText: /nurse\)$/i }).first().getAttribute('value');
  await page.getByLabel('Who', { exact: true }).selectOption(nurse);
  await page.getByLabel('Why it is changing (optional)').fill('Asked for help registering with a GP');
  await page.getByRole('button', { name: 'Save allocation' }).click();
  assert.ok(await page.getByText('Allocation saved.').isVisible());
  const now = page.getByRole('table', { name: 'Working with them now' });
  assert.ok(await now.getByRole('rowheader', { name: 'Care-leaver nurse' }).isVisible());
  await check(page, 'workers-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a personal adviser records a statutory staying close assessment from My week (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { javaScriptEnabled });
    await signIn(page, ADVISER);
    await page.goto(server.baseUrl + '/my-week');
    await check(page, 'my-week-assessments', javaScriptEnabled);
    const owed = page.getByRole('table', { name: 'Statutory staying close assessments owed' });
    await owed.locator('a').first().click();
    assert.equal(await page.locator('h1').innerText(), 'Statutory staying close support');
    assert.ok(await page.getByText(/^Owed: they are a former relevant child under 25/).isVisible());
    await check(page, 'support', javaScriptEnabled);
    await page.getByRole('button', { name: 'Save assessment' }).click();
    assert.match(await page.title(), /^Error: /);
    await check(page, 'support-error', javaScriptEnabled);
    await page.getByLabel('Staying close support is required', { exact: true }).check();
    await page.getByLabel('Reasons').fill('Wants someone to come to housing appointments with them');
    await page.getByLabel('Their view (optional)').fill('Just to start with');
    await page.getByRole('button', { name: 'Save assessment' }).click();
    assert.ok(await page.getByText('Assessment recorded.').isVisible());
    assert.ok(await page.getByText('Wants someone to come to housing appointments with them').isVisible());
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('a personal adviser records spending from the activities allowance', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, ADVISER);
  await page.goto(server.baseUrl + '/my-week');
  await page.getByRole('table', { name: 'Support this week' }).locator('a').first().click();
  await page.getByRole('link', { name: /^Back to / }).click();
  await page.getByRole('link', { name: 'Allowance' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Activities allowance');
  await check(page, 'allowance');
  await page.getByLabel('Amount').fill('7.5');
  await page.getByRole('button', { name: 'Save spending' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'allowance-error');
  await page.getByLabel('Travel').check();
  await page.getByLabel('What it was for (optional)').fill('Bus to the climbing wall');
  await page.getByRole('button', { name: 'Save spending' }).click();
  assert.ok(await page.getByText('Spending recorded.').isVisible());
  assert.ok(await page.getByRole('cell', { name: '£7.50' }).first().isVisible());
  await check(page, 'allowance-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a personal adviser sees what is coming up and the allowance left, then adds and ticks off a celebration task', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, ADVISER);
  await page.goto(server.baseUrl + '/my-week');
  const comingUp = page.getByRole('table', { name: /^Your young people: the next 30 days/ });
  assert.ok(await comingUp.isVisible(), 'one table answers what is coming up and what allowance is left');
  assert.match(await comingUp.innerText(), /£\d+\.\d\d (of £30\.00|over)/);
  await check(page, 'my-week-coming-up');
  await comingUp.locator('tbody tr').first().locator('a').first().click();
  assert.equal(await page.locator('h1').innerText(), 'Celebrations');
  await check(page, 'celebrations');
  await page.getByRole('button', { name: 'Add task' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'celebrations-error');
  await page.getByLabel('Occasion').selectOption({ index: 1 });
  await page.getByLabel('Card', { exact: true }).check();
  await page.getByLabel('Note (optional)').fill('Signed by everyone at Oak Lodge');
  await page.getByRole('button', { name: 'Add task' }).click();
  assert.ok(await page.getByText('Task added.').isVisible());
  const row = page.getByRole('row').filter({ hasText: 'Signed by everyone at Oak Lodge' });
  await row.getByRole('button', { name: /^Mark as done/ }).click();
  assert.ok(await page.getByText('Task updated.').isVisible());
  assert.match(await page.getByRole('row').filter({ hasText: 'Signed by everyone at Oak Lodge' }).innerText(), /Done /);
  await check(page, 'celebrations-done');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an LA administrator adds a festival date', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'alison.marsh@demo-borough.example');
  await page.getByText('I cannot scan the QR code').click();
  await page.getByLabel('Code from your app').fill(totp(await page.locator('code.app-secret').innerText()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.goto(server.baseUrl + '/settings');
  await page.getByRole('link', { name: 'Change the festival dates' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Festival dates');
  await check(page, 'festivals');
  await page.getByLabel('Eid al-Adha').check();
  await page.getByLabel('Day', { exact: true }).fill('3');
  await page.getByLabel('Month', { exact: true }).fill('4');
  await page.getByLabel('Year', { exact: true }).fill('2027');
  await page.getByRole('button', { name: 'Add date' }).click();
  assert.ok(await page.getByText('Festival date added.').isVisible());
  assert.ok(await page.getByRole('row').filter({ hasText: '3 April 2027' }).isVisible());
  await check(page, 'festivals-added');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a personal adviser records a trusted person nomination', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, ADVISER);
  await page.goto(server.baseUrl + '/my-week');
  await page.getByRole('table', { name: 'Support this week' }).locator('a').first().click();
  await page.getByRole('link', { name: /^Back to / }).click();
  await page.getByRole('link', { name: 'Trusted person' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Trusted person');
  await check(page, 'trusted-person');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'trusted-person-error');
  await page.getByLabel("Trusted person's name").fill('Jo Whitfield');
  await page.getByLabel('Former residential staff').check();
  await page.getByRole('button', { name: 'Save' }).click();
  assert.ok(await page.getByText('Nomination recorded.').isVisible());
  const row = page.getByRole('row').filter({ hasText: 'Jo Whitfield' });
  assert.match(await row.innerText(), /Nominated/);
  await check(page, 'trusted-person-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a housing officer sees the ring-fenced lets and a clash of dates is explained', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'tom.ashworth@demo-borough.example');
  await page.getByRole('link', { name: 'Lets', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Ring-fenced lets');
  await check(page, 'lets');
  const occupied = page.getByRole('row').filter({ hasText: 'Occupied' }).first();
  const occupant = await occupied.locator('td').nth(3).innerText();
  await occupied.getByRole('link').first().click();
  await check(page, 'let');
  await page.getByLabel("Young person's child ID").fill('DB000003');
  await page.getByRole('button', { name: 'Save occupancy' }).click();
  assert.match(await page.title(), /^Error: /);
  const message = await page.locator('.govuk-error-summary').innerText();
  assert.match(message, /overlaps/);
  assert.ok(message.includes(occupant.split(' ')[0]), `the current occupant is named: ${message}`);
  await check(page, 'let-error');
  await page.getByRole('button', { name: 'End occupancy' }).click();
  assert.ok(await page.getByText('Occupancy ended.').isVisible());
  assert.equal(await page.getByRole('button', { name: 'End occupancy' }).count(), 0, 'no one lives there with no end date now');
  await check(page, 'let-ended');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a team manager checks the EET rate and an EET worker records an activity', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'liam.fletcher@demo-borough.example');
  await page.goto(server.baseUrl + '/eet-rate');
  assert.equal(await page.locator('h1').innerText(), 'EET rate');
  assert.match(await page.locator('.govuk-body-l').innerText(), /^\d+% in education, employment or training$/);
  await check(page, 'eet-rate');
  await page.getByRole('table', { name: 'Not in education, employment or training' }).getByRole('link').first().click();
  assert.equal(await page.locator('h1').innerText(), 'Education, employment and training');
  await check(page, 'eet');
  await page.getByRole('button', { name: 'Save activity' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'eet-error');
  await page.getByLabel('Activity').selectOption('F4');
  await page.getByLabel('Provider or employer (optional)').fill('Council apprenticeship scheme');
  await page.getByRole('button', { name: 'Save activity' }).click();
  assert.ok(await page.getByText('Activity recorded.').isVisible());
  assert.ok(await page.getByRole('row').filter({ hasText: 'Council apprenticeship scheme' }).getByText('EET', { exact: true }).isVisible());
  await check(page, 'eet-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a personal adviser records a referral to advocacy', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, ADVISER);
  await page.goto(server.baseUrl + '/my-week');
  await page.getByRole('table', { name: 'Support this week' }).locator('a').first().click();
  await page.getByRole('link', { name: /^Back to / }).click();
  await page.getByRole('link', { name: 'Advocacy' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Advocacy');
  await check(page, 'advocacy');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'advocacy-error');
  await page.getByLabel('Advocacy provider').fill('Independent advocacy service');
  await page.getByLabel('Non-instructed').check();
  await page.getByLabel('What is the issue?').fill('Their views at the plan review');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.ok(await page.getByText('Referral recorded.').isVisible());
  await check(page, 'advocacy-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a care-leaver nurse records GP registration and a contact', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'grace.mensah@demo-borough.example');
  await page.goto(server.baseUrl + '/young-people');
  await page.locator('tbody a').first().click();
  await page.getByRole('link', { name: 'Health', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Health and emotional health');
  await check(page, 'health');
  await page.getByRole('button', { name: 'Save session' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'health-error');
  await page.getByLabel('Care-leaver nurse contact').check();
  await page.getByLabel('Minutes (optional)').fill('30');
  await page.getByRole('button', { name: 'Save session' }).click();
  assert.ok(await page.getByText('Session recorded.').isVisible());
  await page.getByLabel('GP practice (blank if not registered)').fill('Canal Side Surgery');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.ok(await page.getByText('GP, dentist and passport saved.').isVisible());
  assert.ok(await page.getByText('Canal Side Surgery').first().isVisible());
  await check(page, 'health-saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a personal adviser adds a group activity and records who came', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, ADVISER);
  await page.getByRole('link', { name: 'Groups', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Group activities');
  await check(page, 'groups');
  await page.getByRole('button', { name: 'Add event' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'groups-error');
  await page.getByLabel('Name of the event').fill('Pizza and a film');
  await page.getByLabel('Celebration event').check();
  await page.getByLabel('Cost (optional)').fill('48.50');
  await page.getByRole('button', { name: 'Add event' }).click();
  assert.ok(await page.getByText('Event added. Now record who came.').isVisible());
  await check(page, 'group');
  await page.getByLabel("Young people's child IDs").fill('DB000003, DB000005');
  await page.getByLabel('Daniel Okafor').check();
  await page.getByRole('button', { name: 'Save attendance' }).click();
  assert.ok(await page.getByText('Attendance saved.').isVisible());
  assert.equal(await page.getByRole('table', { name: 'Young people who came' }).locator('tbody tr').count(), 2);
  await check(page, 'group-saved');
  await page.getByRole('link', { name: 'Back to group activities' }).click();
  await page.getByRole('link', { name: "See the Care Leavers' Forum and participation" }).click();
  assert.equal(await page.locator('h1').innerText(), 'Participation');
  await check(page, 'participation');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a housing officer records a move and housing help for a young person', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'tom.ashworth@demo-borough.example');
  await page.goto(server.baseUrl + '/young-people');
  await page.locator('tbody a').nth(2).click();
  await page.getByRole('link', { name: 'Accommodation' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Accommodation');
  await check(page, 'accommodation');
  await page.getByRole('button', { name: 'Save move' }).click();
  assert.match(await page.title(), /^Error: /);
  await check(page, 'accommodation-error');
  await page.getByLabel('Accommodation and whether it is suitable').selectOption('U1');
  await page.getByLabel('Address (optional)').fill('Flat 2, 9 Elm Row');
  await page.getByRole('button', { name: 'Save move' }).click();
  assert.ok(await page.getByText('Move recorded.').isVisible());
  assert.ok(await page.getByRole('row').filter({ hasText: 'Flat 2, 9 Elm Row' }).getByText('Suitable').isVisible());
  await page.getByLabel('Help to keep a tenancy').check();
  await page.getByLabel('Still in progress').check();
  await page.getByRole('button', { name: 'Save housing help' }).click();
  assert.ok(await page.getByText('Housing help recorded.').isVisible());
  await check(page, 'accommodation-saved');
  assert.deepEqual(problems, []);
  await context.close();
});
