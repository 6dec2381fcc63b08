import { ResponseError } from '@backstage/errors';
import { Waiver } from '@secdevops/plugin-security-scorecards-common';

/** A waiver of `entityRef` with the given changes. */
export function waiverOf(
  entityRef: string,
  overrides: Partial<Waiver>,
): Waiver {
  return {
    id: 'w-1',
    entityRef,
    scope: { ruleId: 'CVE-2021-23337' },
    justification: 'Templates are never compiled from user input',
    status: 'active',
    requestedBy: 'user:default/alice',
    requestedAt: '2026-11-01T10:00:00.000Z',
    expiresAt: '2027-01-15T10:00:00.000Z',
    findingCount: 2,
    ...overrides,
  };
}

/** The error the client throws for a backend error response. */
export function backendError(
  status: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}
