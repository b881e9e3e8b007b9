import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from './server.mjs';
import { launch, openPage, axeViolations, screenshot } from './browser.mjs';
import { signIn as signInAs } from './session.mjs';

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

for (const javaScriptEnabled of [true, false]) {
  test(`a personal adviser reviews a plan and compares the versions (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { javaScriptEnabled });
    // axe runs in the page, so only with JavaScript on; the markup is the same either way.
    const check = async (name) => {
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], `axe violations on ${name}`);
      await screenshot(page, `${name}-js-${javaScriptEnabled}`);
    };
    await signIn(page, ADVISER);
    await page.goto(server.baseUrl + '/my-week');
    const reviews = page.getByRole('table', { name: 'Plan reviews due in the next 4 weeks or overdue' });
    await reviews.locator('a[href$="/plan"]').first().click();
    assert.equal(await page.locator('h1').innerText(), 'Staying Close plan');
    const versionsBefore = await page.getByRole('table', { name: 'Versions of the plan' }).locator('tbody tr').count();
    await check('plan');

    // Change one area: a new goal, first with its owner left out.
    await page.locator('a[href*="/plan/areas/"]').first().click();
    await page.getByLabel('What is going well').fill('Doing the weekly shop alone now');
    const newGoal = page.locator('fieldset.app-plan-goal').last();
    await newGoal.getByLabel('What they want to achieve').fill('Learn to use the washing machine');
    await newGoal.getByLabel('What will be done').first().fill('Do a wash together on the next visit');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.title(), /^Error: /);
    assert.match(await page.locator('.govuk-error-summary a').first().innerText(), /^Choose who will do action 1 of goal \d+$/);
    assert.equal(await page.getByLabel('What they want to achieve').last().inputValue(), '', 'a new blank goal is offered again');
    await check('plan-area-error');
    const owner = page.locator('select.govuk-select--error').first();
    await owner.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Save' }).click();
    assert.ok(await page.getByText('Plan saved.').isVisible());
    assert.ok(await page.getByText('Learn to use the washing machine').first().isVisible());

    // The review: a new version, with the meeting recorded.
    await page.getByRole('button', { name: 'Record a review' }).or(page.getByRole('link', { name: 'Record a review' })).first().click();
    assert.match(await page.locator('h1').innerText(), /^Record a review of the plan for /);
    await check('plan-review');
    await page.locator('#took_part').check();
    await page.locator('#agreed').check();
    await page.getByLabel('What they said about the plan (optional)').fill('Happy with it. Washing next.');
    await page.getByRole('button', { name: 'Record the review' }).click();
    assert.ok(await page.getByText('Review recorded.').isVisible());
    const versionsAfter = await page.getByRole('table', { name: 'Versions of the plan' }).locator('tbody tr').count();
    assert.equal(versionsAfter, versionsBefore + 1);

    // Compare the new version with the one before: the meeting changed.
    await page.getByRole('button', { name: 'Compare versions' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Compare versions of the plan');
    assert.ok(await page.getByText('Happy with it. Washing next.').isVisible());
    assert.ok((await page.locator('.govuk-tag', { hasText: 'Changed' }).count()) > 0);
    await check('plan-compare');
    assert.deepEqual(problems, []);
    await context.close();
  });
}
