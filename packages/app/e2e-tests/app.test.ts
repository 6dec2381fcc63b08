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

  // The Security tab lists the findings, most severe first, and opens one.
  await page.goto('/catalog/default/component/payments-api/security');
  await expect(
    page.getByRole('link', { name: 'Security', exact: true }),
  ).toBeVisible();
  const findingRows = page.getByRole('button', {
    name: 'Detail panel visiblity toggle',
  });
  await expect(findingRows.first()).toBeVisible();
  await expect(page.getByText('high', { exact: true }).first()).toBeVisible();
  await findingRows.first().click();
  await expect(page.getByText('Description').first()).toBeVisible();
  await expect(page.getByText('Dependencies', { exact: true })).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/security-tab.png',
    fullPage: true,
  });
});
