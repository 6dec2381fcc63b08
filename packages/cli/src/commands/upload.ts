import { IngestScanResponse } from '@secdevops/plugin-security-scorecards-common';
import { Command } from 'commander';
import { ScorecardsClient } from '../client';
import { checkFilesExist, gzippedBody, readReportFile } from '../files';
import { CliIo, OutputFormat, writeJson } from '../io';
import { createProgress, formatBytes } from '../progress';
import { renderUpload } from '../render';
import {
  addConnectionOptions,
  addScanContextOptions,
  clientOptions,
  ConnectionOptions,
  examples,
  formatOption,
  outputOption,
  parseEntity,
  runReporting,
  ScanContextOptions,
} from './common';

interface UploadOptions extends ConnectionOptions, ScanContextOptions {
  entity: string;
  file: string[];
  format: string;
  output: OutputFormat;
}

/** An upload's result, with the file it came from. */
export type UploadResult = IngestScanResponse & { file: string };

/** What every upload of one call shares. */
export interface UploadParameters extends ScanContextOptions {
  entityRef: string;
  format: string;
  output: OutputFormat;
}

export function uploadCommand(
  io: CliIo,
  setExitCode: (code: number) => void,
): Command {
  const command = new Command('upload')
    .summary('upload scanner reports as scans of an entity')
    .description(
      'Upload scanner reports as scans of a catalog entity. Each file is sent gzip-compressed; HTTP 429 and 5xx are retried.',
    )
    .requiredOption(
      '-e, --entity <ref>',
      'the catalog entity, e.g. component:default/payments-api',
    )
    .requiredOption(
      '-f, --file <path...>',
      'a report to upload; repeat for several',
    )
    .addOption(formatOption());
  addScanContextOptions(command);
  addConnectionOptions(command);
  return command
    .addOption(outputOption())
    .addHelpText(
      'after',
      `${examples([
        'security-scorecards upload --entity component:default/payments-api --file results.sarif',
        'security-scorecards upload -e component:default/payments-api -f sbom.cdx.json -f trivy.json --commit "$GIT_SHA" --branch main',
        'BACKSTAGE_URL=https://backstage.example.com BACKSTAGE_TOKEN=... security-scorecards upload -e component:default/payments-api -f semgrep.sarif --source semgrep --output json',
        'security-scorecards upload -e component:default/payments-api -f results.sarif --url https://backstage.example.com --token-file /run/secrets/backstage-token',
      ])}
The token comes from $BACKSTAGE_TOKEN or --token-file, never from the command line (it would show in process listings).
`,
    )
    .action(async (options: UploadOptions) => {
      setExitCode(
        await runReporting(io, options.output, async () => {
          const entityRef = parseEntity(options.entity);
          const client = new ScorecardsClient(await clientOptions(options, io));
          const uploads = await uploadReports(io, client, options.file, {
            entityRef,
            format: options.format,
            source: options.source,
            commit: options.commit,
            branch: options.branch,
            output: options.output,
          });
          if (options.output === 'json') {
            writeJson(io, { uploads });
          }
          return 0;
        }),
      );
    });
}

/**
 * Uploads the files one after the other, printing each result in text mode.
 * Every file is checked before the first is sent; the first failure stops.
 */
export async function uploadReports(
  io: CliIo,
  client: ScorecardsClient,
  files: string[],
  parameters: UploadParameters,
): Promise<UploadResult[]> {
  await checkFilesExist(io.cwd, files);
  const results: UploadResult[] = [];
  for (const path of files) {
    const file = await readReportFile(io.cwd, path);
    const body = await gzippedBody(file);
    io.stderr.write(
      `Uploading ${path} (${formatBytes(file.bytes.length)}${
        file.gzipped ? ', gzipped' : `, ${formatBytes(body.length)} gzipped`
      }) to ${parameters.entityRef}\n`,
    );
    const result = await client.uploadScan({
      entityRef: parameters.entityRef,
      gzippedBody: body,
      format: parameters.format,
      source: parameters.source,
      commit: parameters.commit,
      branch: parameters.branch,
      onProgress: createProgress(io, `Uploading ${path}`, body.length),
    });
    if (parameters.output === 'text') {
      io.stdout.write(renderUpload(path, result));
    }
    results.push({ file: path, ...result });
  }
  return results;
}
