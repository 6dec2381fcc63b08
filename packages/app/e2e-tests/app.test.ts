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
  // The entity's tab, not the sidebar's "Security" item.
  await expect(
    page
      .getByRole('navigation', { name: 'Content navigation' })
      .getByRole('link', { name: 'Security', exact: true }),
  ).toHaveAttribute('href', '/catalog/default/component/payments-api/security');
  const findingToggles = page.getByRole('button', {
    name: 'Detail panel visiblity toggle',
  });
  const findingRows = page.locator('tr', { has: findingToggles });
  // The severity chip of each finding: the cell after the toggle.
  const rowSeverities = findingRows.locator('td:nth-child(2)');
  await expect(findingToggles.first()).toBeVisible();
  await expect(rowSeverities.first()).toHaveText('high');
  // Before filtering, less severe findings are listed too.
  await expect(
    rowSeverities.filter({ hasNotText: 'high' }).first(),
  ).toBeVisible();
  await findingToggles.first().click();
  await expect(page.getByText('Description').first()).toBeVisible();
  await expect(page.getByText('Dependencies', { exact: true })).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/security-tab.png',
    fullPage: true,
  });

  // Filtering by severity in the filter bar keeps the filter in the URL and
  // lists only findings of that severity.
  // The select of the filter bar (not the column's sort label).
  const severityFilter = page
    .getByRole('button')
    .and(page.getByLabel('Severity', { exact: true }));
  await severityFilter.click();
  await page.getByRole('option', { name: 'high', exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toBeHidden();
  await expect(page).toHaveURL(/[?&]severity=high(&|$)/);
  await expect(severityFilter).toHaveText('high');
  // The filtered page arrives from the server after the URL changed.
  await expect(async () => {
    const severities = await rowSeverities.allTextContents();
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set(['high']));
  }).toPass({ timeout: 30_000 });
  await severityFilter.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'e2e-screenshots/security-tab-findings-filtered.png',
  });

  // The filtered view is linkable: reloading the URL keeps it.
  await page.reload();
  await expect(severityFilter).toHaveText('high');
  await expect(rowSeverities.first()).toHaveText('high');
  expect(new Set(await rowSeverities.allTextContents())).toEqual(
    new Set(['high']),
  );

  // The waivers card of the entity, where users allowed to (everyone in the
  // demo) request a waiver.
  const waivers = page.locator('.MuiCard-root', {
    has: page.getByText("Accepted risks of this entity's findings"),
  });
  await waivers.scrollIntoViewIfNeeded();
  await expect(waivers).toBeVisible();
  await expect(
    waivers.getByText('Waivers', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    waivers.getByRole('button', { name: 'Export VEX' }),
  ).toBeVisible();
  await waivers.getByRole('button', { name: 'Request waiver' }).click();
  const requestDialog = page.getByRole('dialog', { name: 'Request a waiver' });
  await expect(requestDialog).toBeVisible();
  await requestDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(requestDialog).toBeHidden();
  await waivers.screenshot({
    path: 'e2e-screenshots/security-tab-waivers.png',
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

  // A version range narrows every version of a package to those in it:
  // payments-api's React 16, not this repository's React 18.
  const search = page.getByRole('search');
  await search.getByLabel('Package name or purl').fill('react');
  await search.getByLabel('Version or range (optional)').fill('<17');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/[?&]version=%3C17(&|$)/);
  await expect(page.getByText(/^pkg:npm\/react <17: \d+ entit/)).toBeVisible();
  await expect(page.getByRole('row', { name: /payments-api/ })).toBeVisible();
  await expect(
    page.getByRole('row', { name: /security-scorecards-for-backstage/ }),
  ).toHaveCount(0);
  await page.screenshot({
    path: 'e2e-screenshots/dependency-search-range.png',
    fullPage: true,
  });
});
