import { expect, Page, test } from '@playwright/test';

/** Signs in as the guest user and waits for the portal. */
async function signIn(page: Page) {
  await page.goto('/');
  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

test('a demo component shows its security scorecard', async ({ page }) => {
  await signIn(page);

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

test('managers see group and organisation scorecards, and who uses a package', async ({
  page,
}) => {
  await signIn(page);

  // The organisation page: the roll-up over every team, one row per
  // top-level group. Groups come from the catalog cache, read shortly after
  // start-up: reload until they are there.
  const teams = page.locator('.MuiCard-root, .MuiPaper-root', {
    has: page.getByText('Teams', { exact: true }),
  });
  await expect(async () => {
    await page.goto('/security-scorecards');
    await expect(page).toHaveURL(/\/security-scorecards\/overview/);
    await expect(
      teams.locator('a[href="/catalog/default/group/acme/security"]').first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 180_000 });
  await expect(
    page.getByText('Compliance by check', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Lowest-scoring entities')).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/organization-scorecards.png',
    fullPage: true,
  });

  // A department's Security tab rolls up its nested teams: Commerce holds
  // team-payments, which holds team-fraud.
  await page.goto('/catalog/default/group/commerce/security');
  await expect(
    teams
      .locator('a[href="/catalog/default/group/team-payments/security"]')
      .first(),
  ).toBeVisible();
  await expect(
    page.getByText('Compliance by check', { exact: true }),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/group-security-tab.png',
    fullPage: true,
  });

  // Escalations: the demo's backdated breaches climb the group chain once
  // the escalation task has run (a minute after start-up).
  await expect(async () => {
    await page.goto('/security-scorecards/escalations');
    // In the table, not in the notification the escalation also sent.
    await expect(
      page.getByRole('row', { name: /payment-gateway/ }).first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 180_000 });
  await page.screenshot({
    path: 'e2e-screenshots/escalations.png',
    fullPage: true,
  });

  // Dependency search, linkable with the query in the URL.
  await page.goto('/security-scorecards/dependencies?q=jquery&ecosystem=npm');
  await expect(page.getByText('payments-api').first()).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/dependency-search.png',
    fullPage: true,
  });
});
