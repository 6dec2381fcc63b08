import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { Request } from 'express';

export function optionalStringParameter(
  req: Request,
  name: string,
): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`Query parameter ${name} must be given once`);
  }
  return value === '' ? undefined : value;
}

export function entityRefParameter(req: Request, name: string): string {
  const value = optionalStringParameter(req, name);
  if (!value) {
    throw new InputError(
      `Query parameter ${name} is required, e.g. ${name}=component:default/payments`,
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `Query parameter ${name} is not an entity reference: ${error}`,
    );
  }
}

export function integerParameter(
  req: Request,
  name: string,
  defaultValue: number,
  minimum: number,
  maximum: number,
): number {
  const value = optionalStringParameter(req, name);
  if (value === undefined) return defaultValue;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < minimum || number > maximum) {
    throw new InputError(
      `Query parameter ${name} must be a whole number from ${minimum} to ${maximum}; got '${value}'`,
    );
  }
  return number;
}

export function oneOfParameter<T extends string>(
  req: Request,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = optionalStringParameter(req, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `Query parameter ${name} must be one of ${allowed.join(
        ', ',
      )}; got '${value}'`,
    );
  }
  return value as T;
}

/**
 * A filter given as a comma-separated list, or repeated: `severity=critical,high`
 * is the same as `severity=critical&severity=high`.
 */
export function listParameter<T extends string>(
  req: Request,
  name: string,
  allowed?: readonly T[],
): T[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw])
    .flatMap(value => (typeof value === 'string' ? value.split(',') : []))
    .map(value => value.trim())
    .filter(Boolean);
  if (allowed) {
    const unknown = values.filter(
      value => !(allowed as readonly string[]).includes(value),
    );
    if (unknown.length > 0) {
      throw new InputError(
        `Query parameter ${name} takes ${allowed.join(
          ', ',
        )}; got '${unknown.join(', ')}'`,
      );
    }
  }
  return values.length > 0 ? (values as T[]) : undefined;
}

/** An optional ISO 8601 date or time with a zone, e.g. 2026-10-01T12:00:00Z. */
export function timeParameter(req: Request, name: string): Date | undefined {
  const value = optionalStringParameter(req, name);
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.test(
      value,
    ) ||
    Number.isNaN(time.getTime())
  ) {
    throw new InputError(
      `Query parameter ${name} must be an ISO 8601 time such as 2026-10-01T12:00:00Z; got '${value}'`,
    );
  }
  return time;
}
