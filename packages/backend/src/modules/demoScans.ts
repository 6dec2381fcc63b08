/*
 * Demo data for the portal: once the backend has started, sends real scanner
 * reports (the parser test fixtures) for some demo components through the
 * security scorecards upload API, exactly as a CI pipeline would, and this
 * repository's own scans (demo/self-scan/, written by
 * `node scripts/self-scan.js --update-demo`) for its catalog-info.yaml entity.
 * Enabled by `securityScorecardsDemo.seedScans: true` in app-config.yaml.
 */
import {
  coreServices,
  createBackendModule,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Which reports each demo component gets, as `[component, fixture, source]`. */
const demoScans: Array<[string, string, string]> = [
  ['payments-api', 'trivy/npm.json.golden', 'trivy'],
  ['payments-api', 'sarif/valid-sarif.sarif', 'codeql'],
  ['payments-api', 'gitleaks/gitleaks8_many.json', 'gitleaks'],
  ['payments-api', 'cyclonedx/npm-cyclonedx.json.golden', 'sbom'],
  ['payment-gateway', 'grype/many_vulns_with_epss_values.json', 'grype'],
  ['payment-gateway', 'sarif/issue_10191.json', 'semgrep'],
  ['ledger-service', 'trivy/npm-with-suppressed.json.golden', 'trivy'],
  [
    'fraud-scoring',
    'osv-scanner/multiple-packages-with-vulns.json',
    'osv-scanner',
  ],
  ['checkout-web', 'npm-audit/many_vulns.json', 'npm-audit'],
  [
    'checkout-web',
    'github-code-scanning/created.payload.json',
    'github-code-scanning',
  ],
  [
    'cart-service',
    'github-dependabot/created.payload.json',
    'github-dependabot',
  ],
  ['cart-service', 'sarif/Suppressions.sarif', 'sarif'],
  ['catalog-api', 'cyclonedx/vex.json', 'vex'],
  ['catalog-api', 'spdx/04-SBOMwSecurity.json', 'sbom'],
  ['auth-service', 'grype/keycloak-test.json', 'grype'],
  ['kubernetes-platform', 'trivy/all_statuses.json', 'trivy'],
  ['kubernetes-platform', 'sarif/alpine-310.sarif.golden', 'trivy-image'],
  ['event-pipeline', 'trivy/cvssv4_severity_source.json', 'trivy'],
  ['search-indexer', 'cyclonedx/bom.xml', 'sbom'],
  ['sast-rules', 'sarif/megalinter-report.sarif', 'megalinter'],
];

/**
 * Reports sent as if scanned days ago (`scannedAt`), before the current scans
 * of the same source above: their findings were first seen then, so they are
 * past their SLA and escalated up the owner's group chain at start-up. With
 * `escalation.intervalDays: 7`, as `[component, fixture, source, days ago]`:
 * payment-gateway's critical finding is 53 days past its 7-day SLA (level 3,
 * the top: Team Payments, Commerce, Acme Corp); payments-api's secrets 15 days
 * past the 30-day SLA (level 3); fraud-scoring's critical 13 days (level 2,
 * Team Payments); ledger-service's high 10 days (level 2, Commerce);
 * legacy-billing, owned by a user, 5 days (level 1, the user's team).
 */
const backdatedScans: Array<[string, string, string, number]> = [
  ['payment-gateway', 'grype/many_vulns_with_epss_values.json', 'grype', 60],
  ['payments-api', 'gitleaks/gitleaks8_many.json', 'gitleaks', 45],
  [
    'fraud-scoring',
    'osv-scanner/multiple-packages-with-vulns.json',
    'osv-scanner',
    20,
  ],
  ['ledger-service', 'trivy/npm-with-suppressed.json.golden', 'trivy', 40],
  ['legacy-billing', 'gitleaks/gitleaks8_many.json', 'gitleaks', 35],
];

/**
 * This repository's own reports, as the self-scan left them: `manifest.json`
 * names the entity and, for each report, its file, source and whether it is
 * gzipped. The secretlint report holds the waivers of
 * `.security-scorecards/waivers.json` as SARIF suppressions, so its made-up
 * test tokens show as waived, as the self-scan's gate sees them.
 */
interface SelfScanManifest {
  entityRef: string;
  reports: Array<{ source: string; file: string; contentEncoding?: 'gzip' }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const retryDelayMs = 3000;
const maximumAttempts = 60;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export default createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'demo-scans',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, discovery, auth, lifecycle }) {
        if (!config.getOptionalBoolean('securityScorecardsDemo.seedScans')) {
          return;
        }
        const fixturesDirectory = resolvePackagePath(
          '@secdevops/plugin-security-scorecards-node',
          'src/ingest/__fixtures__',
        );
        const selfScanDirectory = resolvePackagePath(
          'backend',
          '../../demo/self-scan',
        );

        async function send(
          entityRef: string,
          label: string,
          body: Buffer,
          options: {
            source: string;
            scannedAt?: Date;
            contentEncoding?: 'gzip';
          },
        ) {
          const baseUrl = await discovery.getBaseUrl('security-scorecards');
          const query = new URLSearchParams({
            entityRef,
            source: options.source,
            ...(options.scannedAt
              ? { scannedAt: options.scannedAt.toISOString() }
              : {}),
          });
          // The catalog reads the demo organisation shortly after start-up;
          // until then the entity is unknown (404) and the upload is retried.
          for (let attempt = 1; attempt <= maximumAttempts; attempt += 1) {
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: await auth.getOwnServiceCredentials(),
              targetPluginId: 'security-scorecards',
            });
            const response = await fetch(`${baseUrl}/scans?${query}`, {
              method: 'POST',
              headers: {
                Authorization: `Bearer ${token}`,
                'Content-Type': 'application/octet-stream',
                ...(options.contentEncoding
                  ? { 'Content-Encoding': options.contentEncoding }
                  : {}),
              },
              body,
            });
            if (response.ok) {
              return;
            }
            if (response.status !== 404 || attempt === maximumAttempts) {
              const text = await response.text();
              let message = text;
              try {
                message = JSON.parse(text).error?.message ?? text;
              } catch {
                // Not Backstage's error body: the text as it came.
              }
              throw new Error(
                `upload of ${label} for ${entityRef} failed: ${response.status} ${message}`,
              );
            }
            await sleep(retryDelayMs);
          }
        }

        async function upload(
          component: string,
          fixture: string,
          source: string,
          scannedAt?: Date,
        ) {
          const body = await fs.readFile(path.join(fixturesDirectory, fixture));
          await send(`component:default/${component}`, fixture, body, {
            source,
            scannedAt,
          });
        }

        /** This repository's own scans; none when demo/self-scan/ is absent. */
        async function uploadSelfScan(log: LoggerService) {
          let manifest: SelfScanManifest;
          try {
            manifest = JSON.parse(
              await fs.readFile(
                path.join(selfScanDirectory, 'manifest.json'),
                'utf8',
              ),
            );
          } catch (error) {
            log.info(
              `No self-scan demo data in ${selfScanDirectory}: ${error}`,
            );
            return;
          }
          let loaded = 0;
          for (const report of manifest.reports) {
            try {
              const body = await fs.readFile(
                path.join(selfScanDirectory, path.basename(report.file)),
              );
              await send(manifest.entityRef, `self-scan ${report.file}`, body, {
                source: report.source,
                contentEncoding: report.contentEncoding,
              });
              loaded += 1;
            } catch (error) {
              log.warn(`Self-scan demo scan not loaded: ${error}`);
            }
          }
          log.info(
            `Loaded ${loaded} of ${manifest.reports.length} self-scan reports for ${manifest.entityRef}`,
          );
        }

        async function seed(log: LoggerService) {
          for (const [component, fixture, source, daysAgo] of backdatedScans) {
            try {
              await upload(
                component,
                fixture,
                source,
                new Date(Date.now() - daysAgo * DAY_MS),
              );
            } catch (error) {
              // On a persistent database, later scans of an earlier start
              // are there already (400: scannedAt must be after them).
              log.info(`Backdated demo scan not loaded: ${error}`);
            }
          }
          for (const [component, fixture, source] of demoScans) {
            try {
              await upload(component, fixture, source);
            } catch (error) {
              log.warn(`Demo scan not loaded: ${error}`);
            }
          }
          log.info(`Loaded ${demoScans.length} demo scans`);
          await uploadSelfScan(log);
        }

        lifecycle.addStartupHook(() => {
          // In the background: the portal is usable while the demo scans load.
          seed(logger).catch(error =>
            logger.error(`Demo scans failed: ${error}`),
          );
        });
      },
    });
  },
});
