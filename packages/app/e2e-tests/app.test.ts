import { expect, test } from '@playwright/test';

test('a demo component shows its security scorecard', async ({ page }) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  const card = page.locator('.MuiCard-root', {
    has: page.getByText('Security scorecard', { exact: true }),
  });
  // The demo scans load in the background after start-up: reload until the
  // card shows them.
  await expect(async () => {
    await page.goto('/catalog/default/component/payments-api');
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card.getByText('codeql', { exact: true })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000 });

  await expect(
    card.getByText('gitleaks', { exact: true }).first(),
  ).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: 'e2e-screenshots/security-scorecard-card.png',
  });

  // A component without scans explains how to send the first one.
  await page.goto('/catalog/default/component/build-cache');
  await expect(card.getByText(/No scans have been sent/)).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: 'e2e-screenshots/security-scorecard-card-empty.png',
  });
});
