import {
  parseReport,
  ReportFormat,
} from '@secdevops/plugin-security-scorecards-node';
import { Command } from 'commander';
import { CliError, errorMessage } from '../errors';
import { readReportFile } from '../files';
import { CliIo, OutputFormat, writeJson } from '../io';
import { renderReportSummary } from '../render';
import { summarizeReport } from '../summary';
import { examples, formatOption, outputOption, runReporting } from './common';

interface ValidateOptions {
  format: ReportFormat | 'auto';
  output: OutputFormat;
}

export function validateCommand(
  io: CliIo,
  setExitCode: (code: number) => void,
): Command {
  return new Command('validate')
    .summary('read a report locally and count what it holds')
    .description(
      'Read a report locally with the parsers the backend uses, and print what an upload would store. No server is needed.',
    )
    .argument('<file>', 'the report to read (gzip-compressed files too)')
    .addOption(formatOption())
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples([
        'security-scorecards validate results.sarif',
        'security-scorecards validate bom.xml --format cyclonedx',
        'security-scorecards validate trivy.json --output json',
      ]),
    )
    .action(async (file: string, options: ValidateOptions) => {
      setExitCode(
        await runReporting(io, options.output, async () => {
          const report = await readReportFile(io.cwd, file);
          let parsed;
          try {
            parsed = parseReport(report.bytes, {
              format: options.format,
              contentEncoding: report.gzipped ? 'gzip' : undefined,
            });
          } catch (error) {
            throw new CliError(`${file}: ${errorMessage(error)}`);
          }
          const summary = summarizeReport(file, parsed);
          if (options.output === 'json') {
            writeJson(io, summary);
          } else {
            io.stdout.write(renderReportSummary(summary));
          }
          return 0;
        }),
      );
    });
}
