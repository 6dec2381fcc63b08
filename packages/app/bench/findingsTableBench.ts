/*
 * Findings table benchmark: uploads a SARIF report of 10,000 findings for a
 * demo component through the scan upload API, then measures in Chromium how
 * long the first page of the component's findings table takes to show:
 *
 * - "Security tab": the entity page is loaded (overview), the user clicks the
 *   Security tab; from the click to the first findings row shown. The target
 *   of 1 s applies to this one.
 * - "Page load": a full navigation to /catalog/.../security; from the start
 *   of the navigation to the first findings row shown (loading and starting
 *   the app included, so in the dev build mostly the bundle).
 *
 *   yarn bench:ui                         (in packages/app)
 *   yarn bench                            (from the root: backend benches, then this)
 *   BENCH_UI_RUNS=20 BENCH_UI_FINDINGS=50000 yarn bench:ui
 *   BENCH_APP_URL=http://localhost:7007 yarn bench:ui
 *       (the production bundle, which the backend serves once
 *       `yarn workspace app build` has run, instead of the dev server's)
 *
 * It uses the portal on :3000 and :7007 when one is running, and otherwise
 * starts `yarn dev app` and `yarn dev backend` and stops them afterwards.
 * The demo backend keeps its data in memory: a portal that was reused keeps
 * the benchmark's findings on BENCH_UI_ENTITY (default internal-cli, a demo
 * component without scans that the end-to-end tests do not look at) until it
 * restarts. Chromium is /usr/bin/chromium (or CHROMIUM_PATH). It prints
 * figures and never fails on a time.
 */
/* eslint-disable no-console -- a command-line script that prints its figures */
import { chromium, Page } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const findingCount = Number(process.env.BENCH_UI_FINDINGS ?? 10_000);
const runs = Number(process.env.BENCH_UI_RUNS ?? 10);
const appUrl = process.env.BENCH_APP_URL ?? 'http://localhost:3000';
const backendUrl = process.env.BENCH_BACKEND_URL ?? 'http://localhost:7007';
const entityRef =
  process.env.BENCH_UI_ENTITY ?? 'component:default/internal-cli';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const source = 'bench';
const targetMs = 1000;
const repoRoot = path.resolve(__dirname, '../../..');
const apiUrl = `${backendUrl}/api/security-scorecards`;

const [entityKind, entityRest] = entityRef.split(':');
const [entityNamespace, entityName] = entityRest.split('/');
const entityPath = `/catalog/${entityNamespace}/${entityKind}/${entityName}`;

/** The toggle that opens a finding: only findings rows have one. */
const findingToggleSelector =
  'button[aria-label="Detail panel visiblity toggle"]';
const findingRowSelector = `tr ${findingToggleSelector}`;

function sarifReport(count: number): Buffer {
  const ruleCount = 200;
  const rules = Array.from({ length: ruleCount }, (_, index) => ({
    id: `bench/rule-${index}`,
    shortDescription: { text: `Benchmark rule ${index}` },
    fullDescription: {
      text: `Finds pattern ${index}, which may be exploitable.`,
    },
    help: { text: `Validate the input before it reaches sink ${index}.` },
    defaultConfiguration: { level: ['error', 'warning', 'note'][index % 3] },
    properties: {
      tags: ['security', `external/cwe/cwe-${(index % 90) + 1}`],
      // 0.0 to 9.9: every severity from info to critical.
      'security-severity': String(((index * 37) % 100) / 10),
    },
  }));
  const results = Array.from({ length: count }, (_, index) => ({
    ruleId: `bench/rule-${index % ruleCount}`,
    ruleIndex: index % ruleCount,
    message: { text: `Tainted value reaches sink number ${index}.` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: `src/module-${index % 300}/file-${index}.ts`,
          },
          region: { startLine: (index % 400) + 1, startColumn: 5 },
        },
      },
    ],
    partialFingerprints: {
      primaryLocationLineHash: `${index.toString(16)}:1`,
    },
  }));
  return Buffer.from(
    JSON.stringify({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'BenchScanner', version: '1.0.0', rules } },
          results,
        },
      ],
    }),
  );
}

async function isUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilUp(
  url: string,
  timeoutMs: number,
  servers: ChildProcess[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isUp(url))) {
    if (servers.some(server => server.exitCode !== null)) {
      throw new Error(`A portal server stopped before ${url} answered`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

/** Set once the servers this script started are being stopped. */
let stopping = false;

/** Starts `yarn dev <target>` in its own process group, logging to a file. */
function startDev(target: 'app' | 'backend'): ChildProcess {
  const logFile = path.join(os.tmpdir(), `bench-ui-${target}.log`);
  const log = fs.openSync(logFile, 'w');
  // Under `yarn bench:ui`, npm_execpath is the repository's Yarn (a script).
  const yarn = process.env.npm_execpath ?? 'yarn';
  console.log(`Starting yarn dev ${target} (log: ${logFile})`);
  const child = spawn(yarn, ['dev', target], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, BROWSER: 'none' },
  });
  child.once('exit', code => {
    if (!stopping) {
      console.error(`yarn dev ${target} exited (${code}): see ${logFile}`);
    }
  });
  return child;
}

async function stopDev(child: ChildProcess): Promise<void> {
  stopping = true;
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timeout = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timeout);
}

/** A user token of the guest, as the frontend gets it. */
async function guestToken(): Promise<string> {
  const response = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok) {
    throw new Error(`Guest sign-in failed: ${response.status}`);
  }
  const body = (await response.json()) as {
    backstageIdentity: { token: string };
  };
  return body.backstageIdentity.token;
}

async function api<T>(token: string, url: string, init?: RequestInit) {
  const response = await fetch(url, {
    ...init,
    headers: { ...init?.headers, authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    throw new Error(
      `${init?.method ?? 'GET'} ${url}: ${
        response.status
      } ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

/** Waits until the catalog holds the entity: a backend just started reads it in the background. */
async function waitForEntity(token: string): Promise<void> {
  const url = `${backendUrl}/api/catalog/entities/by-name/${entityKind}/${entityNamespace}/${entityName}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.ok) return;
    if (response.status !== 404 || Date.now() > deadline) {
      throw new Error(`${entityRef} is not in the catalog: ${response.status}`);
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

/** Uploads the report (again, on a reused portal); refuses an entity other scanners sent scans for. */
async function uploadFindings(token: string): Promise<void> {
  const entity = encodeURIComponent(entityRef);
  const scans = await api<{ items: Array<{ source: string }> }>(
    token,
    `${apiUrl}/scans?entityRef=${entity}&limit=100`,
  );
  const others = scans.items.filter(scan => scan.source !== source);
  if (others.length) {
    throw new Error(
      `${entityRef} has scans of its own (${others
        .map(scan => scan.source)
        .join(', ')}): set BENCH_UI_ENTITY to a component without scans`,
    );
  }
  const report = sarifReport(findingCount);
  const started = performance.now();
  await api(
    token,
    `${apiUrl}/scans?entityRef=${entity}&source=${source}&format=sarif`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: report,
    },
  );
  console.log(
    `Uploaded ${findingCount.toLocaleString('en')} findings (${(
      report.length /
      1024 /
      1024
    ).toFixed(1)} MiB of SARIF) to ${entityRef} in ${Math.round(
      performance.now() - started,
    )} ms`,
  );
  const page = await api<{ totalCount: number }>(
    token,
    `${apiUrl}/findings?entityRef=${entity}&limit=20`,
  );
  if (page.totalCount < findingCount) {
    throw new Error(
      `${entityRef} shows ${page.totalCount} findings, not ${findingCount}`,
    );
  }
}

/**
 * Installed in every document before the app: records, in milliseconds since
 * the navigation started, the last click and when the first findings row was
 * painted (the frame after it was inserted).
 */
function watchForFindingRow(selector: string) {
  const state = { clickAt: 0, shownAt: 0 };
  (window as unknown as { __bench: typeof state }).__bench = state;
  document.addEventListener(
    'click',
    () => {
      state.clickAt = performance.now();
      state.shownAt = 0;
    },
    { capture: true },
  );
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending || state.shownAt) return;
    const row = document.querySelector(selector);
    if (!row || row.getBoundingClientRect().height === 0) return;
    pending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        state.shownAt = performance.now();
        pending = false;
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

type BenchState = { clickAt: number; shownAt: number };

async function benchState(page: Page): Promise<BenchState> {
  await page.waitForFunction(
    () =>
      (window as unknown as { __bench?: BenchState }).__bench?.shownAt !== 0,
    undefined,
    { timeout: 60_000 },
  );
  return page.evaluate(
    () => (window as unknown as { __bench: BenchState }).__bench,
  );
}

/** The findings API request of the first page, in ms since the navigation. */
interface FindingsRequest {
  startTime: number;
  responseEnd: number;
}

async function findingsRequest(
  page: Page,
  after: number,
): Promise<FindingsRequest | undefined> {
  return page.evaluate(startedAfter => {
    const entries = performance
      .getEntriesByType('resource')
      .filter(
        entry =>
          entry.name.includes('/api/security-scorecards/findings?') &&
          entry.startTime >= startedAfter,
      ) as PerformanceResourceTiming[];
    const last = entries[entries.length - 1];
    return last
      ? { startTime: last.startTime, responseEnd: last.responseEnd }
      : undefined;
  }, after);
}

/** From a click on the Security tab of the loaded entity page to the first row. */
async function measureTabClick(page: Page) {
  await page.goto(`${appUrl}${entityPath}`);
  // The entity page's tab, not the sidebar's "Security" item.
  const securityTab = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Security', exact: true });
  await securityTab.waitFor({ timeout: 60_000 });
  await page
    .getByText('Security scorecard', { exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
  // Let the overview finish its requests, as a reader would have.
  await page.waitForLoadState('networkidle');
  await securityTab.click();
  const { clickAt, shownAt } = await benchState(page);
  const request = await findingsRequest(page, clickAt);
  return {
    ms: shownAt - clickAt,
    // Where the time goes: until the request is sent, the request, the rest.
    phases: request && [
      request.startTime - clickAt,
      request.responseEnd - request.startTime,
      shownAt - request.responseEnd,
    ],
  };
}

/** From the start of a full navigation to the Security tab to the first row. */
async function measurePageLoad(page: Page) {
  await page.goto(`${appUrl}${entityPath}/security`);
  const { shownAt } = await benchState(page);
  return { ms: shownAt };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label: string, values: number[], target?: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const ms = (value: number) => `${Math.round(value)} ms`.padStart(8);
  const p50 = percentile(sorted, 50);
  const verdict =
    target === undefined
      ? ''
      : `  (target < ${target} ms: ${p50 < target ? 'met' : 'missed'} at p50)`;
  return `${label.padEnd(34)} p50 ${ms(p50)}  p95 ${ms(
    percentile(sorted, 95),
  )}  max ${ms(sorted[sorted.length - 1])}${verdict}`;
}

async function main() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
  }
  const started: ChildProcess[] = [];
  const stopAll = () => Promise.all(started.map(stopDev));
  const onSignal = () => {
    stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const browser = await (async () => {
    if (!(await isUp(`${apiUrl}/health`))) started.push(startDev('backend'));
    // The backend serves the app itself once it is built.
    if (appUrl !== backendUrl && !(await isUp(appUrl))) {
      started.push(startDev('app'));
    }
    await waitUntilUp(`${apiUrl}/health`, 300_000, started);
    await waitUntilUp(appUrl, 300_000, started);
    const token = await guestToken();
    await waitForEntity(token);
    await uploadFindings(token);
    return chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
      ],
    });
  })().catch(async error => {
    await stopAll();
    throw error;
  });

  try {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
    });
    await context.addInitScript(watchForFindingRow, findingRowSelector);
    const page = await context.newPage();

    // Sign in as the guest; the session is kept for the rest of the run.
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true })
      .waitFor({ timeout: 60_000 });

    console.log(
      `Measuring ${runs} runs of each, after one warm-up, on ${appUrl}${entityPath}/security`,
    );
    // Warm-up: compiles the dev bundle's chunks and fills the caches.
    await measurePageLoad(page);
    await measureTabClick(page);

    const tabClicks: number[] = [];
    const phases: number[][] = [[], [], []];
    for (let run = 0; run < runs; run++) {
      const result = await measureTabClick(page);
      tabClicks.push(result.ms);
      result.phases?.forEach((value, phase) => phases[phase].push(value));
    }
    const firstRow = page
      .locator('tr', { has: page.locator(findingToggleSelector) })
      .first();
    const rowText = await firstRow.innerText();
    await firstRow.scrollIntoViewIfNeeded();
    const pagination = await page
      .getByText(new RegExp(`of ${findingCount}`))
      .first()
      .innerText()
      .catch(() => '');
    await page.screenshot({
      path: path.join(repoRoot, 'e2e-screenshots/bench-findings-table.png'),
    });

    const pageLoads: number[] = [];
    for (let run = 0; run < runs; run++) {
      pageLoads.push((await measurePageLoad(page)).ms);
    }

    console.log('');
    console.log(
      `Findings table of ${entityRef} with ${findingCount.toLocaleString(
        'en',
      )} findings, Chromium ${browser.version()}`,
    );
    console.log(`  first row: ${rowText.replace(/\s+/g, ' ').slice(0, 100)}`);
    if (pagination) console.log(`  pagination: ${pagination}`);
    console.log(
      `  ${summary('Security tab click -> first row', tabClicks, targetMs)}`,
    );
    if (phases[0].length) {
      const labels = [
        '  click -> GET /findings sent',
        '  GET /findings (in the browser)',
        '  response -> first row shown',
      ];
      labels.forEach((label, phase) =>
        console.log(`  ${summary(label, phases[phase])}`),
      );
    }
    console.log(`  ${summary('Page load -> first row', pageLoads)}`);
  } finally {
    await browser.close();
    await stopAll();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
