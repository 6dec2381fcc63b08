import { parseEntityRef } from '@backstage/catalog-model';
import { toDate } from '../database/sql';

/** The name the VEX documents give as their tool. */
export const VEX_TOOL_NAME = 'Security Scorecards for Backstage';

/** A waived finding joined with its active waiver, as the VEX export reads it. */
export type VexFindingRow = {
  rule_id: string;
  severity: string;
  title: string;
  cvss_version: string | null;
  cvss_score: number | string | null;
  cvss_vector: string | null;
  identifiers: string;
  package_purl: string | null;
  package_name: string | null;
  package_version: string | null;
  waiver_id: string;
  justification: string;
  vex_justification: string | null;
  requested_by: string;
  requested_at: Date | string | number;
  approved_by: string | null;
  approved_at: Date | string | number | null;
  expires_at: Date | string | number;
};

type CycloneDxComponent = {
  type: string;
  'bom-ref': string;
  name: string;
  version?: string;
  purl?: string;
};

type CycloneDxVulnerability = {
  'bom-ref': string;
  id: string;
  description?: string;
  ratings: Array<{
    severity: string;
    score?: number;
    method?: string;
    vector?: string;
  }>;
  cwes?: number[];
  analysis: {
    state: 'not_affected' | 'exploitable';
    justification?: string;
    response?: string[];
    detail: string;
    firstIssued: string;
    lastUpdated: string;
  };
  affects: Array<{ ref: string }>;
  properties: Array<{ name: string; value: string }>;
};

/**
 * A CycloneDX 1.6 VEX document (JSON), as far as the waiver export writes it.
 *
 * @internal
 */
export type CycloneDxVexDocument = {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: Array<{ type: string; name: string }> };
    component: CycloneDxComponent;
  };
  components: CycloneDxComponent[];
  vulnerabilities: CycloneDxVulnerability[];
};

const CVSS_METHODS: Record<string, string> = {
  '2.0': 'CVSSv2',
  '3.0': 'CVSSv3',
  '3.1': 'CVSSv31',
  '4.0': 'CVSSv4',
};

/**
 * Writes the waived findings of an entity as CycloneDX 1.6 VEX: one
 * vulnerability per waiver and rule, affecting the packages of the findings
 * (components of the document), or the entity itself for findings without a
 * package. A waiver with a VEX justification says `not_affected` with it; a
 * plain risk acceptance says `exploitable` with the response `will_not_fix`.
 * The waiver's justification, requester, approver and expiry are in
 * `analysis.detail` and in properties.
 */
export function buildWaiverVex(options: {
  entityRef: string;
  rows: VexFindingRow[];
  now: Date;
  serialNumber: string;
}): CycloneDxVexDocument {
  const { entityRef, rows, now } = options;
  const components = new Map<string, CycloneDxComponent>();
  const vulnerabilities = new Map<string, CycloneDxVulnerability>();

  for (const row of rows) {
    let ref = entityRef;
    if (row.package_name) {
      ref =
        row.package_purl ??
        `${row.package_name}${
          row.package_version ? `@${row.package_version}` : ''
        }`;
      if (!components.has(ref)) {
        components.set(ref, {
          type: 'library',
          'bom-ref': ref,
          name: row.package_name,
          ...(row.package_version ? { version: row.package_version } : {}),
          ...(row.package_purl ? { purl: row.package_purl } : {}),
        });
      }
    }

    const key = `${row.waiver_id}|${row.rule_id}`;
    const vulnerability = vulnerabilityOf(row, ref);
    const existing = vulnerabilities.get(key);
    if (!existing) {
      vulnerabilities.set(key, vulnerability);
      continue;
    }
    // Findings of one rule in several packages: one vulnerability affecting each.
    if (!existing.affects.some(affect => affect.ref === ref)) {
      existing.affects.push({ ref });
      existing.affects.sort((a, b) => a.ref.localeCompare(b.ref));
    }
    if (
      existing.ratings[0].score === undefined &&
      vulnerability.ratings[0].score !== undefined
    ) {
      existing.ratings = vulnerability.ratings;
    }
    const cwes = new Set([
      ...(existing.cwes ?? []),
      ...(vulnerability.cwes ?? []),
    ]);
    if (cwes.size > 0) existing.cwes = [...cwes].sort((a, b) => a - b);
  }

  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: options.serialNumber,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: VEX_TOOL_NAME }] },
      component: {
        type: 'application',
        'bom-ref': entityRef,
        name: parseEntityRef(entityRef).name,
      },
    },
    components: [...components.values()],
    vulnerabilities: [...vulnerabilities.values()],
  };
}

function vulnerabilityOf(
  row: VexFindingRow,
  ref: string,
): CycloneDxVulnerability {
  const requestedAt = toDate(row.requested_at).toISOString();
  const approvedAt = row.approved_at
    ? toDate(row.approved_at).toISOString()
    : undefined;
  const expiresAt = toDate(row.expires_at).toISOString();
  const score = row.cvss_score === null ? undefined : Number(row.cvss_score);
  const method = row.cvss_version ? CVSS_METHODS[row.cvss_version] : undefined;
  const cwes = (JSON.parse(row.identifiers) as string[])
    .map(identifier => identifier.match(/^CWE-(\d+)$/)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
  const decision = `${
    row.vex_justification ? 'Not affected' : 'Risk accepted'
  } until ${expiresAt} (waiver ${row.waiver_id}, requested by ${
    row.requested_by
  }${row.approved_by ? `, approved by ${row.approved_by}` : ''})`;

  return {
    'bom-ref': `waiver:${row.waiver_id}:${row.rule_id}`,
    id: row.rule_id,
    description: row.title,
    ratings: [
      {
        severity: row.severity,
        ...(score !== undefined ? { score } : {}),
        ...(score !== undefined && method ? { method } : {}),
        ...(row.cvss_vector ? { vector: row.cvss_vector } : {}),
      },
    ],
    ...(cwes.length > 0 ? { cwes } : {}),
    analysis: row.vex_justification
      ? {
          state: 'not_affected',
          justification: row.vex_justification,
          detail: `${decision}: ${row.justification}`,
          firstIssued: requestedAt,
          lastUpdated: approvedAt ?? requestedAt,
        }
      : {
          state: 'exploitable',
          response: ['will_not_fix'],
          detail: `${decision}: ${row.justification}`,
          firstIssued: requestedAt,
          lastUpdated: approvedAt ?? requestedAt,
        },
    affects: [{ ref }],
    properties: [
      { name: 'security-scorecards:waiver-id', value: row.waiver_id },
      { name: 'security-scorecards:expires-at', value: expiresAt },
      { name: 'security-scorecards:requested-by', value: row.requested_by },
      ...(row.approved_by
        ? [{ name: 'security-scorecards:approved-by', value: row.approved_by }]
        : []),
    ],
  };
}
