import { FindingCategory } from '@secdevops/plugin-security-scorecards-common';
import { ParsedReport } from '@secdevops/plugin-security-scorecards-node';

/** SARIF tools whose results are secrets, whatever their rules say. */
const SECRET_SCANNERS =
  /gitleaks|secretlint|trufflehog|detect-secrets|ggshield|secret/i;
/** SARIF tools that check infrastructure as code. */
const IAC_SCANNERS =
  /checkov|tfsec|kics|terrascan|hadolint|kube-linter|kubesec|kubescape|cfn-lint|cfn_nag/i;

/**
 * The finding categories a scan looked for: what the report says it covered,
 * else what its format and tool stand for, plus the categories of its
 * findings. The freshness checks of the rubric read them, so a scan that
 * found nothing still counts.
 */
export function scanCategories(report: ParsedReport): FindingCategory[] {
  const categories = new Set<FindingCategory>(
    report.coverage ?? coverageOfFormat(report),
  );
  for (const finding of report.findings) categories.add(finding.category);
  return [...categories].sort();
}

function coverageOfFormat(report: ParsedReport): FindingCategory[] {
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
