import { Command, CommanderError } from 'commander';
import { gateCommand } from './commands/gate';
import { uploadCommand } from './commands/upload';
import { validateCommand } from './commands/validate';
import { CliIo } from './io';
import { version } from '../package.json';

/**
 * Runs the CLI with its arguments (without `node` and the script) and returns
 * the exit code: 0 success or a passing gate, 1 a failing gate, 2 usage,
 * file, connection or HTTP errors.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = new Command('security-scorecards')
    .description(
      'Security Scorecards for Backstage, from CI: upload scans, validate reports, break the build on policy.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage and examples)');
  // Added after the settings above so that the commands inherit them.
  for (const command of [
    uploadCommand(io, setExitCode),
    gateCommand(io, setExitCode),
    validateCommand(io, setExitCode),
  ]) {
    program.addCommand(command.copyInheritedSettings(program));
  }

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other usage problem exits 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}
