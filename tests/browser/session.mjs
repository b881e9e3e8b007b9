// Signing in as a demo member of staff, shared by the journeys.
export const PASSWORD = 'close-support-demo';

export async function signIn(page, baseUrl, email) {
  await page.goto(baseUrl + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
