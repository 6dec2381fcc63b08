import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * What an operation of `src/schema/openapi.yaml` needs beyond credentials:
 * `x-permission` is a permission name, a list of them, `none` (credentials
 * only) or `unauthenticated` (not even credentials); `none` and
 * `unauthenticated` carry an `x-permission-reason`. `x-permission-filter`
 * names the permissions the operation filters its per-entity content on
 * instead of denying.
 */
export interface SpecOperation {
  /** Lower case, as in the spec: `get`, `post`, … */
  method: string;
  /** The path template, e.g. `/waivers/{id}`. */
  path: string;
  operationId: string;
  /** `x-permission` as written, `undefined` when missing. */
  declaredPermission: unknown;
  reason?: string;
  /** The permission names of `x-permission`, empty for `none` and `unauthenticated`. */
  permissions: string[];
  /** The permission names of `x-permission-filter`. */
  filterPermissions: string[];
  unauthenticated: boolean;
  parameters: Array<{ name: string; in: string; required: boolean }>;
  hasRequestBody: boolean;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

type RawParameter = {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
};

/** Every operation of `src/schema/openapi.yaml`, in the order of the file. */
export function openApiOperations(): SpecOperation[] {
  const spec = parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', 'schema', 'openapi.yaml'),
      'utf8',
    ),
  );
  const componentParameters: Record<string, RawParameter> =
    spec.components?.parameters ?? {};
  const resolve = (parameter: RawParameter) =>
    parameter.$ref
      ? componentParameters[parameter.$ref.split('/').pop()!]
      : parameter;
  const asNames = (value: unknown): string[] => {
    if (value === undefined || value === 'none' || value === 'unauthenticated')
      return [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };

  const operations: SpecOperation[] = [];
  for (const [pathTemplate, pathItem] of Object.entries<any>(spec.paths)) {
    const pathParameters: RawParameter[] = pathItem.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const parameters = [...pathParameters, ...(operation.parameters ?? [])]
        .map(resolve)
        .map(parameter => ({
          name: String(parameter.name),
          in: String(parameter.in),
          required: parameter.required === true,
        }));
      operations.push({
        method,
        path: pathTemplate,
        operationId: operation.operationId,
        declaredPermission: operation['x-permission'],
        reason: operation['x-permission-reason'],
        permissions: asNames(operation['x-permission']),
        filterPermissions: asNames(operation['x-permission-filter']),
        unauthenticated: operation['x-permission'] === 'unauthenticated',
        parameters,
        hasRequestBody: operation.requestBody !== undefined,
      });
    }
  }
  return operations;
}
