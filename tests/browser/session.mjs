// Signing in as a demo member of staff, shared by the journeys.
import { totp } from './totp.mjs';

export const PASSWORD = 'close-support-demo';

export async function signIn(page, baseUrl, email) {
  await page.goto(baseUrl + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// A first sign-in for a role that must use a second factor: set up the
// authenticator from the secret shown, then continue to the service.
export async function signInAndEnrol(page, baseUrl, email) {
  await signIn(page, baseUrl, email);
  await page.getByText('I cannot scan the QR code').click();
  await page.getByLabel('Code from your app').fill(totp(await page.locator('code.app-secret').innerText()));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
}
