import {
  GatePolicy,
  GatePolicyError,
  readGatePolicy,
} from '@secdevops/plugin-security-scorecards-common';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, errorMessage } from './errors';

/**
 * Reads a gate policy from a YAML (or JSON) file and checks it the way the
 * backend does (with the same reader), so that a mistake fails before
 * anything is sent.
 */
export async function loadGatePolicy(
  cwd: string,
  path: string,
): Promise<GatePolicy> {
  let content: string;
  try {
    content = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read the policy file ${path}: ${errorMessage(error)}`,
    );
  }
  let document: unknown;
  try {
    document = parseYaml(content);
  } catch (error) {
    throw new CliError(
      `Invalid policy file ${path}: not valid YAML: ${errorMessage(error)}`,
    );
  }
  try {
    // An empty file is no policy at all, not a null one.
    return readGatePolicy(document ?? undefined);
  } catch (error) {
    if (error instanceof GatePolicyError) {
      throw new CliError(`Invalid policy file ${path}: ${error.message}`);
    }
    throw error;
  }
}
