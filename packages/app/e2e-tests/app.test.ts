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

  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByRole('heading', { name: 'payments-api' }).first(),
  ).toBeVisible();

  const card = page.locator('article, .MuiCard-root', {
    has: page.getByText('Security scorecard', { exact: true }),
  });
  await expect(card.first()).toBeVisible();
  await expect(
    card
      .first()
      .getByText(/No scans have been sent|Latest scan of each source/)
      .first(),
  ).toBeVisible();

  await page.screenshot({
    path: 'e2e-screenshots/component-security-scorecard.png',
    fullPage: true,
  });
});
