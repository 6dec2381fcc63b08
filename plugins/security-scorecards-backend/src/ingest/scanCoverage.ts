import { FindingCategory } from '@secdevops/plugin-security-scorecards-common';
import { StreamedReport } from '@secdevops/plugin-security-scorecards-node';

/** SARIF tools whose results are secrets, whatever their rules say. */
const SECRET_SCANNERS =
  /gitleaks|secretlint|trufflehog|detect-secrets|ggshield|secret/i;
/** SARIF tools that check infrastructure as code. */
const IAC_SCANNERS =
  /checkov|tfsec|kics|terrascan|hadolint|kube-linter|kubesec|kubescape|cfn-lint|cfn_nag/i;

type ReportKind = Pick<StreamedReport, 'format' | 'scanner' | 'coverage'>;

/**
 * The finding categories a scan looked for: what the report says it covered,
 * else what its format and tool stand for. The store adds the categories of
 * the findings as it reads them. The freshness checks of the rubric read
 * them, so a scan that found nothing still counts.
 */
export function scanCoverage(report: ReportKind): FindingCategory[] {
  return [...(report.coverage ?? coverageOfFormat(report))].sort();
}

function coverageOfFormat(report: ReportKind): FindingCategory[] {
  switch (report.format) {
    case 'gitleaks':
      return ['secret'];
    case 'grype':
    case 'osv':
    case 'npm-audit':
    case 'github-dependabot':
      return ['sca'];
    case 'github-code-scanning':
      return ['sast'];
    case 'sarif':
      if (SECRET_SCANNERS.test(report.scanner)) return ['secret'];
      if (IAC_SCANNERS.test(report.scanner)) return ['iac'];
      return ['sast'];
    default:
      // SBOMs (SPDX, CycloneDX without vulnerabilities) list dependencies
      // only; Trivy and CycloneDX say what they covered themselves.
      return [];
  }
}
