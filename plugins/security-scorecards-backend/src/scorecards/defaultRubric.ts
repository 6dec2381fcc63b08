import { RubricLevel } from '@secdevops/plugin-security-scorecards-common';
import { RubricCheckDefinition } from './rubric';

const DSOMM = 'https://dsomm.owasp.org/';

/** The levels of the default rubric. */
export const DEFAULT_LEVELS: RubricLevel[] = [
  {
    rank: 1,
    name: 'Baseline',
    description: 'Owned, with known dependencies and no overdue critical risk.',
  },
  {
    rank: 2,
    name: 'Managed',
    description:
      'Code and secrets are scanned, secrets stay out, high risk is fixed in time.',
  },
  {
    rank: 3,
    name: 'Defined',
    description:
      'The pipeline enforces policy, infrastructure is scanned, fixes are fast.',
  },
  {
    rank: 4,
    name: 'Optimizing',
    description:
      'No serious open risk, improving, reviewed and watched at runtime.',
  },
];

/** The level whose share the group scorecards report by default. */
export const DEFAULT_TARGET_LEVEL = 2;

/** The default rubric of the product design: levels L1 to L4. */
export const DEFAULT_CHECKS: RubricCheckDefinition[] = [
  {
    id: 'has-owner',
    level: 1,
    title: 'Has an owner',
    description: 'The entity names an owning team in the catalog.',
    guidance:
      'Set spec.owner in the catalog-info.yaml of the entity to the group that maintains it.',
    practice: 'Ownership: every service has a team that answers for it',
    type: 'has-owner',
    weight: 1,
    params: {},
  },
  {
    id: 'sca-scan-fresh',
    level: 1,
    title: 'Dependency scan within 14 days',
    description:
      'A software composition analysis (dependency vulnerability) scan was received in the last 14 days.',
    guidance:
      'Run a dependency scanner (npm audit, OSV-Scanner, Trivy, Grype, Dependabot) in CI on every build and upload its report with `security-scorecards upload`.',
    practice: 'Automated dependency scanning',
    dsomm: {
      activity: 'Software Composition Analysis (server side)',
      url: DSOMM,
    },
    type: 'scan-freshness',
    weight: 2,
    params: { categories: ['sca'], maxAgeDays: 14 },
  },
  {
    id: 'sbom-present',
    level: 1,
    title: 'SBOM present',
    description: 'The dependencies of the entity are known from an SBOM.',
    guidance:
      'Generate a CycloneDX or SPDX SBOM in CI (e.g. `npx @cyclonedx/cyclonedx-npm`, syft, Trivy) and upload it.',
    practice: 'Know your dependencies',
    dsomm: { activity: 'SBOM of components', url: DSOMM },
    type: 'sbom-present',
    weight: 1,
    params: {},
  },
  {
    id: 'no-critical-past-sla',
    level: 1,
    title: 'No critical finding past its SLA',
    description:
      'No open critical finding (or known-exploited vulnerability) is older than the critical SLA.',
    guidance:
      'Fix or upgrade the affected code or package first; if the risk is accepted, request a waiver with a justification and an expiry.',
    practice: 'Remediation within SLA',
    dsomm: {
      activity: 'Treatment of defects with severity high or higher',
      url: DSOMM,
    },
    type: 'past-sla',
    weight: 3,
    params: { severity: 'critical' },
  },
  {
    id: 'sast-scan-fresh',
    level: 2,
    title: 'SAST scan within 14 days',
    description:
      'A static analysis (SAST) scan of the code was received in the last 14 days.',
    guidance:
      'Run a SAST tool (CodeQL, Semgrep, ESLint with security rules) in CI and upload its SARIF output.',
    practice: 'Automated static analysis',
    dsomm: {
      activity: 'Static analysis for important server side components',
      url: DSOMM,
    },
    type: 'scan-freshness',
    weight: 2,
    params: { categories: ['sast'], maxAgeDays: 14 },
  },
  {
    id: 'secrets-scan-fresh',
    level: 2,
    title: 'Secrets scan within 14 days',
    description: 'A secrets scan was received in the last 14 days.',
    guidance:
      'Run gitleaks, secretlint or Trivy secret scanning in CI and upload the report.',
    practice: 'Automated secret detection',
    dsomm: { activity: 'Test for stored secrets', url: DSOMM },
    type: 'scan-freshness',
    weight: 2,
    params: { categories: ['secret'], maxAgeDays: 14 },
  },
  {
    id: 'no-open-secrets',
    level: 2,
    title: 'No open secret findings',
    description: 'No secret is known to be committed to the code.',
    guidance:
      'Revoke and rotate the secret first, then remove it from the code (and history) and load it from a secret store.',
    practice: 'Secrets stay out of code',
    dsomm: { activity: 'Test for stored secrets', url: DSOMM },
    type: 'open-findings',
    weight: 3,
    params: { category: 'secret' },
  },
  {
    id: 'no-high-past-sla',
    level: 2,
    title: 'No high finding past its SLA',
    description: 'No open high finding is older than the high SLA.',
    guidance:
      'Plan the overdue high findings into the current iteration, or waive them with a justification.',
    practice: 'Remediation within SLA',
    dsomm: {
      activity: 'Treatment of defects with severity high or higher',
      url: DSOMM,
    },
    type: 'past-sla',
    weight: 2,
    params: { severity: 'high' },
  },
  {
    id: 'security-champion',
    level: 2,
    title: 'Security champion named',
    description: 'A security champion is named for the entity.',
    guidance:
      'Add the annotation `security-scorecards/security-champion: user:default/<name>` to the entity.',
    practice: 'Security champions',
    dsomm: { activity: 'Each team has a security champion', url: DSOMM },
    type: 'annotation',
    weight: 1,
    params: { annotation: 'security-scorecards/security-champion' },
  },
  {
    id: 'ci-gate-enforced',
    level: 3,
    title: 'CI gate enforced',
    description: 'A CI security gate evaluated the entity in the last 30 days.',
    guidance:
      'Add `security-scorecards gate --entity <ref>` after the uploads in the pipeline, so policy failures break the build.',
    practice: 'Regularly break the build',
    type: 'gate-enforced',
    weight: 2,
    params: { maxAgeDays: 30 },
  },
  {
    id: 'iac-container-scan-fresh',
    level: 3,
    title: 'IaC and container scans where applicable',
    description:
      'Entities with infrastructure as code or container images had such a scan in the last 30 days.',
    guidance:
      'Scan Dockerfiles, Kubernetes manifests and Terraform with Trivy, Checkov or kics, and the built image with Trivy or Grype; upload the reports.',
    practice: 'Infrastructure and image scanning',
    dsomm: {
      activity: 'Test the definition of virtualized environments',
      url: DSOMM,
    },
    type: 'scan-freshness',
    weight: 1,
    params: {
      categories: ['iac', 'container'],
      maxAgeDays: 30,
      onlyWhenPresent: true,
      presenceAnnotations: [
        'security-scorecards/container-image',
        'security-scorecards/iac',
        'backstage.io/kubernetes-id',
      ],
    },
  },
  {
    id: 'no-medium-past-sla',
    level: 3,
    title: 'No medium finding past its SLA',
    description: 'No open medium finding is older than the medium SLA.',
    guidance:
      'Work down the overdue medium findings, oldest first; many are fixed by routine upgrades.',
    practice: 'Remediation within SLA',
    dsomm: {
      activity: 'Treatment of defects with severity middle',
      url: DSOMM,
    },
    type: 'past-sla',
    weight: 1,
    params: { severity: 'medium' },
  },
  {
    id: 'critical-mttr-within-sla',
    level: 3,
    title: 'Critical MTTR within SLA',
    description:
      'Critical findings fixed in the last 90 days were fixed within the critical SLA on average.',
    guidance:
      'Treat critical findings as incidents: alert the owner on arrival and fix within the SLA.',
    practice: 'Fast remediation',
    type: 'mttr',
    weight: 1,
    params: { severity: 'critical' },
  },
  {
    id: 'incident-runbook',
    level: 3,
    title: 'Incident runbook linked',
    description: 'A security incident runbook is linked from the entity.',
    guidance:
      'Add the annotation `security-scorecards/runbook-url` with the link to the runbook.',
    practice: 'Incident response',
    type: 'annotation',
    weight: 1,
    params: { annotation: 'security-scorecards/runbook-url' },
  },
  {
    id: 'no-open-critical-high',
    level: 4,
    title: 'Zero open critical and high findings',
    description: 'No critical or high finding is open.',
    guidance:
      'Fix the remaining critical and high findings, or waive the accepted ones with a justification.',
    practice: 'Zero serious known risk',
    type: 'open-findings',
    weight: 2,
    params: { minSeverity: 'high' },
  },
  {
    id: 'no-known-exploited',
    level: 4,
    title: 'No known-exploited vulnerability',
    description:
      'No open finding is listed as exploited in the wild (e.g. CISA KEV).',
    guidance:
      'Upgrade or patch known-exploited packages immediately; they are attacked today.',
    practice: 'Threat-informed prioritisation',
    type: 'open-findings',
    weight: 2,
    params: { knownExploited: true },
  },
  {
    id: 'score-not-declining',
    level: 4,
    title: 'Score not declining over 30 days',
    description: 'The score is not lower than 30 days ago.',
    guidance:
      'Look at the history chart on the Security tab for what got worse, and fix it.',
    practice: 'Continuous improvement',
    type: 'score-trend',
    weight: 1,
    params: {},
  },
  {
    id: 'security-review',
    level: 4,
    title: 'Security review within 180 days',
    description:
      'A security review (threat model) took place in the last 180 days.',
    guidance:
      'Hold a threat-modelling review with the security team and record its date in the annotation `security-scorecards/last-security-review: YYYY-MM-DD`.',
    practice: 'Threat modelling',
    dsomm: {
      activity: 'Conduction of simple threat modeling on technical level',
      url: DSOMM,
    },
    type: 'annotation',
    weight: 1,
    params: {
      annotation: 'security-scorecards/last-security-review',
      maxAgeDays: 180,
    },
  },
  {
    id: 'runtime-protection',
    level: 4,
    title: 'Runtime protection or DAST evidence',
    description:
      'A DAST scan in the last 30 days, or runtime protection declared for the entity.',
    guidance:
      'Run OWASP ZAP (or another DAST tool) against a test deployment and upload its SARIF, or declare runtime protection (WAF, RASP) with the annotation `security-scorecards/runtime-protection`.',
    practice: 'Dynamic testing and runtime protection',
    dsomm: { activity: 'Simple Scan', url: DSOMM },
    type: 'scan-freshness',
    weight: 1,
    params: {
      categories: ['dast'],
      maxAgeDays: 30,
      orAnnotations: ['security-scorecards/runtime-protection'],
    },
  },
];
