import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type OpenApiDocument = {
  components: {
    schemas: Record<string, unknown>;
    responses: Record<
      string,
      { content: { 'application/json': { schema: unknown } } }
    >;
  };
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          {
            $ref?: string;
            content?: { 'application/json': { schema: unknown } };
          }
        >;
      }
    >
  >;
};

const spec: OpenApiDocument = parse(
  fs.readFileSync(
    path.resolve(__dirname, '..', 'schema', 'openapi.yaml'),
    'utf8',
  ),
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: spec.components }, 'openapi.yaml');

function resolveResponse(response: {
  $ref?: string;
  content?: { 'application/json': { schema: unknown } };
}) {
  if (response.$ref) {
    const name = response.$ref.split('/').pop()!;
    return spec.components.responses[name];
  }
  return response;
}

/** Rewrites local `#/components/...` references so they resolve against the registered spec. */
function withAbsoluteReferences(schema: unknown): unknown {
  return JSON.parse(
    JSON.stringify(schema).replace(
      /"\$ref":"#\/components\//g,
      '"$ref":"openapi.yaml#/components/',
    ),
  );
}

/**
 * Checks a response against what `src/schema/openapi.yaml` documents for the
 * operation and status, and returns the validation errors (empty when valid).
 */
export function openApiViolations(
  method: string,
  pathTemplate: string,
  response: { status: number; body: unknown },
): string[] {
  const operation = spec.paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) {
    return [`${method} ${pathTemplate} is not in the OpenAPI spec`];
  }
  const documented =
    operation.responses[String(response.status)] ?? operation.responses.default;
  if (!documented) {
    return [
      `${method} ${pathTemplate} does not document status ${response.status}`,
    ];
  }
  const schema =
    resolveResponse(documented).content?.['application/json'].schema;
  const validate = ajv.compile(withAbsoluteReferences(schema) as object);
  if (validate(response.body)) {
    return [];
  }
  return (validate.errors ?? []).map(
    error => `${error.instancePath} ${error.message}`,
  );
}

/** Expects a response to match what `src/schema/openapi.yaml` documents for the operation and status. */
export function expectToMatchSpec(
  method: string,
  pathTemplate: string,
  response: { status: number; body: unknown },
) {
  expect(openApiViolations(method, pathTemplate, response)).toEqual([]);
}
