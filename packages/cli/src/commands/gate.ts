import { Command } from 'commander';
import { GateRequestBody, ScorecardsClient } from '../client';
import { CliIo, OutputFormat, writeJson } from '../io';
import { loadGatePolicy } from '../policy';
import { renderGateResult, securityTabUrl } from '../render';
import {
  addConnectionOptions,
  addScanContextOptions,
  clientOptions,
  ConnectionOptions,
  examples,
  formatOption,
  outputOption,
  parseCount,
  parseEntity,
  parseUrl,
  runReporting,
  ScanContextOptions,
} from './common';
import { uploadReports, UploadResult } from './upload';

interface GateOptions extends ConnectionOptions, ScanContextOptions {
  entity: string;
  policy?: string;
  upload?: string[];
  format: string;
  portalUrl?: string;
  maxViolations: number;
  output: OutputFormat;
}

/** Exit code of a gate whose policy failed. */
export const GATE_FAILED_EXIT_CODE = 1;

export function gateCommand(
  io: CliIo,
  setExitCode: (code: number) => void,
): Command {
  const command = new Command('gate')
    .summary('evaluate a policy on the server; exit 1 when it fails')
    .description(
      "Evaluate a policy against the entity's current findings and level on the server, print what failed and why, and exit 1 when it fails. " +
        'Without --policy the server applies its default: no open critical finding, no open secret, nothing past SLA at high or above.',
    )
    .requiredOption(
      '-e, --entity <ref>',
      'the catalog entity, e.g. component:default/payments-api',
    )
    .option('-p, --policy <file>', 'a policy file (YAML or JSON)')
    .option(
      '-u, --upload <path...>',
      'upload these reports first (as the upload command does)',
    )
    .addOption(
      formatOption('the format of the --upload reports; auto recognises it'),
    );
  addScanContextOptions(command);
  addConnectionOptions(command);
  return command
    .option(
      '--portal-url <url>',
      'the portal URL for links, when the frontend is not at the backend URL (default: $BACKSTAGE_PORTAL_URL, else --url)',
    )
    .option(
      '--max-violations <n>',
      'findings to list under each failed rule',
      parseCount,
      5,
    )
    .addOption(outputOption())
    .addHelpText(
      'after',
      `${examples([
        'security-scorecards gate --entity component:default/payments-api',
        'security-scorecards gate -e component:default/payments-api --policy .security/gate.yaml',
        'security-scorecards gate -e component:default/payments-api --upload semgrep.sarif --source semgrep --commit "$GIT_SHA" --branch main',
      ])}
Exit codes: 0 the policy passed, 1 it failed, 2 usage, file, connection or HTTP error.

Policy file:
  rules:
    - type: no-new-findings   # nothing new in the latest scan of each source
      severity: high          # at or above; source: semgrep limits it to one source
    - type: no-open-findings  # severity and/or category (sast, sca, secret, iac, container, dast, other)
      category: secret
    - type: no-past-sla
      severity: high
    - type: min-level         # the entity's maturity level rank
      level: 2
`,
    )
    .action(async (options: GateOptions) => {
      setExitCode(
        await runReporting(io, options.output, () => runGate(io, options)),
      );
    });
}

async function runGate(io: CliIo, options: GateOptions): Promise<number> {
  const entityRef = parseEntity(options.entity);
  const connection = await clientOptions(options, io);
  const portalUrl = resolvePortalUrl(options, io) ?? connection.baseUrl;
  const policy = options.policy
    ? await loadGatePolicy(io.cwd, options.policy)
    : undefined;
  const client = new ScorecardsClient(connection);

  let uploads: UploadResult[] = [];
  if (options.upload?.length) {
    uploads = await uploadReports(io, client, options.upload, {
      entityRef,
      format: options.format,
      source: options.source,
      commit: options.commit,
      branch: options.branch,
      output: options.output,
    });
  }

  const request: GateRequestBody = {
    ...(policy ? { policy } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.commit ? { commit: options.commit } : {}),
    ...(options.branch ? { branch: options.branch } : {}),
  };
  const result = await client.runGate(entityRef, request);
  const securityUrl = securityTabUrl(portalUrl, entityRef);

  if (options.output === 'json') {
    writeJson(io, { ...result, securityUrl, uploads });
  } else {
    io.stdout.write(
      renderGateResult(result, {
        maxViolations: options.maxViolations,
        securityUrl,
      }),
    );
  }
  return result.passed ? 0 : GATE_FAILED_EXIT_CODE;
}

/** Where links point: --portal-url, else $BACKSTAGE_PORTAL_URL. */
function resolvePortalUrl(options: GateOptions, io: CliIo): URL | undefined {
  if (options.portalUrl) return parseUrl(options.portalUrl, '--portal-url');
  const fromEnv = io.env.BACKSTAGE_PORTAL_URL;
  return fromEnv ? parseUrl(fromEnv, 'BACKSTAGE_PORTAL_URL') : undefined;
}
