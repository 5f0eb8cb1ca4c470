import { demoUsers } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test("an admin's Microsoft sign-in and sign-out of the console are change-log rows an auditor reads; the sign-out says so", async ({ page, configureSso }) => {
  await configureSso();
  const adele = demoUsers.admin;
  await signInToConsole(page, 'admin');
  await expect(page.getByTestId('signed-in-as')).toContainText(adele.name);
  // reloading is the same sign-in, not a new one
  await page.reload();
  await expect(page.getByTestId('signed-in-as')).toContainText(adele.name);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('You have signed out of the console.')).toBeVisible();

  await signInToConsole(page, 'auditor', '/changes?actor=adele');
  const rows = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr');
  await expect(rows.first()).toContainText('Signed out of the console');
  await expect(rows.first()).toContainText(adele.upn);
  // other journeys may have signed Adele in within the last minute (one sign-in then), so read her sign-ins alone
  await page.goto('/changes?actor=adele&action=console.sign_in');
  const signIns = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr');
  await expect(signIns.first()).toContainText('Signed in to the console');
  await expect(signIns.first()).toContainText('as admin');
  await expect(signIns.first()).toContainText('Entra ID user');
});
