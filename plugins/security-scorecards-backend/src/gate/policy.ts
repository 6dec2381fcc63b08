import { InputError } from '@backstage/errors';
import {
  DEFAULT_GATE_POLICY,
  GatePolicy,
  GatePolicyError,
  readGatePolicy,
  readGateRequestBody,
} from '@secdevops/plugin-security-scorecards-common';

export {
  describeGateRule,
  findingPhrase,
  MAX_GATE_RULES,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * The body of `POST /api/security-scorecards/gates`, validated.
 *
 * @internal
 */
export interface GateRequest {
  /** The policy sent, or the default policy when none was. */
  policy: GatePolicy;
  /** The pipeline's context, recorded with the result. */
  source?: string;
  commit?: string;
  branch?: string;
}

/**
 * Reads a gate policy from parsed JSON. Throws an `InputError` that names the
 * place of the first problem, e.g. `rules[1].severity`.
 *
 * @internal
 */
export function parseGatePolicy(value: unknown): GatePolicy {
  try {
    return readGatePolicy(value);
  } catch (error) {
    throw asInputError(error, 'Invalid gate policy');
  }
}

/**
 * Reads the body of `POST /gates`: `{ policy?, source?, commit?, branch? }`.
 * Without a policy, the default policy applies.
 *
 * @internal
 */
export function parseGateRequest(body: unknown): GateRequest {
  try {
    const { policy, ...context } = readGateRequestBody(body);
    return { policy: policy ?? DEFAULT_GATE_POLICY, ...context };
  } catch (error) {
    throw asInputError(error, 'Invalid gate request');
  }
}

function asInputError(error: unknown, label: string): unknown {
  return error instanceof GatePolicyError
    ? new InputError(`${label}: ${error.message}`)
    : error;
}
