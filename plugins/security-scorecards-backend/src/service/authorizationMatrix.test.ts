import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  securityScorecardsPermissions,
  securityScorecardsScanCreatePermission,
} from '@secdevops/plugin-security-scorecards-common';
import {
  parseReport,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import express from 'express';
import request from 'supertest';
import { acmeGroups, serviceComponent } from '../__testUtils__/catalog';
import {
  openApiOperations,
  SpecOperation,
} from '../__testUtils__/openApiOperations';
import { securityScorecardsPlugin } from '../plugin';

/*
 * The authorization matrix, driven by src/schema/openapi.yaml: every
 * operation declares what it needs in `x-permission` (and what it filters on
 * in `x-permission-filter`), and each is called without credentials, with
 * each permission denied in turn, and with only scan.create allowed.
 */

jest.setTimeout(120_000);

// The routers the plugin serves, to compare their routes with the spec.
const mockServedRouters: express.Router[] = [];
jest.mock('./router', () => {
  const actual = jest.requireActual('./router');
  return {
    ...actual,
    createRouter: async (...args: unknown[]) => {
      const router = await actual.createRouter(...args);
      mockServedRouters.push(router);
      return router;
    },
  };
});

const DAY_MS = 24 * 60 * 60 * 1000;
const BASE = '/api/security-scorecards';

const entityName = 'zq-ledger';
const entityRef = `component:default/${entityName}`;
const requester = 'user:default/zq-requester';
const collectSourceId = 'zq-matrix-source';

/** A Trivy report: a critical vulnerability of a distinctive package, and the package. */
const trivyReport = Buffer.from(
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'zq-ledger',
    ArtifactType: 'filesystem',
    Results: [
      {
        Target: 'services/zq-ledger/package-lock.json',
        Class: 'lang-pkgs',
        Type: 'npm',
        Packages: [
          {
            ID: 'zq-leftpad@1.0.0',
            Name: 'zq-leftpad',
            Version: '1.0.0',
            Identifier: { PURL: 'pkg:npm/zq-leftpad@1.0.0' },
          },
        ],
        Vulnerabilities: [
          {
            VulnerabilityID: 'CVE-2099-13579',
            PkgName: 'zq-leftpad',
            PkgIdentifier: { PURL: 'pkg:npm/zq-leftpad@1.0.0' },
            InstalledVersion: '1.0.0',
            FixedVersion: '1.0.1',
            Severity: 'CRITICAL',
            Title: 'Zqx prototype pollution in the padder',
          },
        ],
      },
    ],
  }),
);

const awsSecret = 'AKIAZQXWVUTSRQPONMLK';
const keySecret = 'zqsecretkeymaterial0123';

/** A gitleaks report: a key in a dotenv file and a committed private key. */
const gitleaksReport = Buffer.from(
  JSON.stringify([
    {
      RuleID: 'zq-aws-access-token',
      Description: 'Zqx AWS key in dotenv',
      File: 'config/.env',
      StartLine: 3,
      Secret: awsSecret,
      Match: `AWS_KEY=${awsSecret}`,
    },
    {
      RuleID: 'zq-private-key',
      Description: 'Zqx private key committed',
      File: 'deploy/id_rsa',
      StartLine: 1,
      Secret: keySecret,
      Match: keySecret,
    },
  ]),
);

/** Text of the seeded findings that only findings.read may show. */
const findingText = [
  'CVE-2099-13579',
  'Zqx prototype pollution',
  'zq-leftpad',
  'services/zq-ledger/package-lock.json',
  'zq-aws-access-token',
  'Zqx AWS key in dotenv',
  'config/.env',
  'zq-private-key',
  'Zqx private key committed',
  'deploy/id_rsa',
  'AKIA****************',
  'zqse****************',
  awsSecret,
  keySecret,
];

/** What names the seeded entity. */
const entityText = [entityRef, entityName];

const entities: Entity[] = [
  ...acmeGroups,
  serviceComponent(entityName, 'payments'),
];

/** The permission policy of the current step: which permission names it allows. */
const policy = { allows: (_permissionName: string): boolean => true };

/** Decisions of {@link policy}, for `authorize` and `authorizeConditional` alike. */
const decide = async (requests: readonly { permission: { name: string } }[]) =>
  requests.map(item => ({
    result: policy.allows(item.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  })) as any;

/** A finding source that always applies to the seeded entity and reports its secrets. */
const matrixSourceModule = createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'authorization-matrix-source',
  register(env) {
    env.registerInit({
      deps: { sources: securityScorecardsFindingSourcesExtensionPoint },
      async init({ sources }) {
        sources.addFindingSource({
          id: collectSourceId,
          appliesTo: entity => entity.metadata.name === entityName,
          defaultFrequency: { hours: 24 },
          collect: async () =>
            parseReport(gitleaksReport, { format: 'gitleaks' }),
        });
      },
    });
  },
});

/**
 * Values of the parameters an operation requires, by name. A new required
 * parameter needs a value here.
 */
const parameterValues: Record<string, (seed: Seed) => string> = {
  entityRef: () => entityRef,
  id: seed => seed.waiverId,
  sourceId: () => collectSourceId,
  purl: () => 'pkg:npm/zq-leftpad',
};

/**
 * Optional parameters given anyway, by operationId: where they make the
 * operation about the seeded entity.
 */
const optionalParameters: Record<string, string[]> = {
  GetScorecardHistory: ['entityRef'],
};

type RequestBody = { contentType: string; body: string | Buffer | object };

/** Numbers the packages of the waivers the test requests, so each is new. */
let waiverCounter = 0;

/**
 * A request body per operation that takes one, by operationId. A new
 * operation with a request body needs an example here.
 */
const requestBodies: Record<string, () => RequestBody> = {
  CreateScan: () => ({
    contentType: 'application/octet-stream',
    body: trivyReport,
  }),
  RunGate: () => ({ contentType: 'application/json', body: {} }),
  CreateWaiver: () => ({
    contentType: 'application/json',
    body: {
      entityRef,
      purl: `pkg:npm/zq-matrix-${++waiverCounter}`,
      justification: 'Accepted by the authorization matrix test',
      expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    },
  }),
  RejectWaiver: () => ({
    contentType: 'application/json',
    body: { reason: 'Rejected by the authorization matrix test' },
  }),
};

interface Seed {
  waiverId: string;
}

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

const operations = openApiOperations();
const permissionNames = securityScorecardsPermissions.map(
  permission => permission.name,
);

function describeOperation(operation: SpecOperation) {
  return `${operation.method.toUpperCase()} ${operation.path} (${
    operation.operationId
  })`;
}

/** Operations that change a waiver get a fresh pending one, requested by someone else. */
function changesWaiver(operation: SpecOperation) {
  return operation.method !== 'get' && operation.path.includes('{id}');
}

async function requestWaiver(server: Server, purl: string): Promise<string> {
  const saved = policy.allows;
  policy.allows = () => true;
  try {
    const response = await request(server)
      .post(`${BASE}/waivers`)
      .set('Authorization', mockCredentials.user.header(requester))
      .send({
        entityRef,
        purl,
        justification: 'Requested for the authorization matrix test',
        expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
      });
    if (response.status !== 201) {
      throw new Error(
        `Could not request a waiver: ${response.status} ${response.text}`,
      );
    }
    return response.body.id;
  } finally {
    policy.allows = saved;
  }
}

interface Answer {
  status: number;
  /** The answer as text, without the `request` echo of an error body. */
  text: string;
  /** What the request itself sent: the URL and the body. */
  sent: string;
}

/** Calls an operation with valid parameters, as the given credentials (none: no Authorization header). */
async function call(
  server: Server,
  seed: Seed,
  operation: SpecOperation,
  authorization: string,
): Promise<Answer> {
  const waiverId = changesWaiver(operation)
    ? await requestWaiver(server, `pkg:npm/zq-fresh-${++waiverCounter}`)
    : seed.waiverId;
  const values = { ...seed, waiverId };
  let url = BASE + operation.path;
  const query: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (
      !parameter.required &&
      !optionalParameters[operation.operationId]?.includes(parameter.name)
    ) {
      continue;
    }
    const value = parameterValues[parameter.name](values);
    if (parameter.in === 'path') {
      url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
    } else if (parameter.in === 'query') {
      query[parameter.name] = value;
    }
  }
  let pending = (request(server) as any)
    [operation.method](url)
    .query(query)
    .set('Authorization', authorization);
  const example = operation.hasRequestBody
    ? requestBodies[operation.operationId]()
    : undefined;
  if (example) {
    pending = pending
      .set('Content-Type', example.contentType)
      .send(
        Buffer.isBuffer(example.body) || typeof example.body === 'string'
          ? example.body
          : JSON.stringify(example.body),
      );
  }
  const response = await pending;
  let text: string = response.text ?? '';
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object' && 'error' in body) {
      // The error body echoes the request URL the caller sent; judge the rest.
      const { request: _echo, ...rest } = body;
      text = JSON.stringify(rest);
    }
  } catch {
    // Not JSON: CSV or empty.
  }
  const sent = `${url}?${Object.entries(query)
    .map(([key, value]) => `${key}=${value}`)
    .join('&')} ${
    example && !Buffer.isBuffer(example.body)
      ? JSON.stringify(example.body)
      : ''
  }`;
  return { status: response.status, text, sent };
}

const userHeader = () => mockCredentials.user.header();

describe('the authorization matrix of the OpenAPI spec', () => {
  let server: Server;
  let seed: Seed;

  beforeAll(async () => {
    const scheduler = mockServices.scheduler.mock();
    ({ server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        matrixSourceModule,
        mockServices.database.factory(),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            securityScorecards: {
              escalation: { intervalDays: 7 },
              waivers: { requireApproval: true },
            },
          },
        }),
        scheduler.factory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.permissions.mock({
          authorize: decide,
          authorizeConditional: decide,
        }).factory,
      ],
    }));
    const runTask = async (id: string) => {
      const scheduled = scheduler.scheduleTask.mock.calls.find(
        ([task]) => task.id === id,
      );
      if (!scheduled) throw new Error(`Task ${id} was not scheduled`);
      await scheduled[0].fn(new AbortController().signal);
    };

    // Findings first seen 30 days ago: the critical one is past its SLA.
    const scannedAt = new Date(Date.now() - 30 * DAY_MS).toISOString();
    for (const [format, report] of [
      ['trivy', trivyReport],
      ['gitleaks', gitleaksReport],
    ] as const) {
      const uploaded = await request(server)
        .post(`${BASE}/scans`)
        .query({ entityRef, format, scannedAt })
        .set('Content-Type', 'application/octet-stream')
        .send(report);
      if (uploaded.status !== 201) {
        throw new Error(
          `Seeding ${format}: ${uploaded.status} ${uploaded.text}`,
        );
      }
    }
    const gate = await request(server)
      .post(`${BASE}/gates`)
      .query({ entityRef })
      .send({});
    if (gate.status !== 201) {
      throw new Error(`Seeding a gate run: ${gate.status} ${gate.text}`);
    }
    await runTask('security-scorecards-catalog-refresh');
    await runTask('security-scorecards-evaluation');
    await runTask('security-scorecards-escalation');
    seed = { waiverId: await requestWaiver(server, 'pkg:npm/zq-leftpad') };
  });

  beforeEach(() => {
    policy.allows = () => true;
  });

  it('declares what every operation needs', () => {
    const problems: string[] = [];
    const used = new Set<string>();
    for (const operation of operations) {
      const declared = operation.declaredPermission;
      const name = describeOperation(operation);
      if (declared === undefined) {
        problems.push(
          `${name} has no x-permission: name the permission(s) it needs, or none / unauthenticated with an x-permission-reason`,
        );
        continue;
      }
      if (
        (declared === 'none' || declared === 'unauthenticated') &&
        !operation.reason
      ) {
        problems.push(
          `${name} is x-permission: ${declared} without an x-permission-reason`,
        );
      }
      for (const permission of [
        ...operation.permissions,
        ...operation.filterPermissions,
      ]) {
        used.add(permission);
        if (!permissionNames.includes(permission)) {
          problems.push(`${name} names an unknown permission ${permission}`);
        }
      }
    }
    for (const permission of permissionNames) {
      if (!used.has(permission)) {
        problems.push(`No operation declares ${permission}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves exactly the operations of the spec', () => {
    expect(mockServedRouters).toHaveLength(1);
    const served: string[] = [];
    const problems: string[] = [];
    for (const layer of (mockServedRouters[0] as any).stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          served.push(`${method} ${layer.route.path}`);
        }
      } else if (layer.handle?.stack?.some((inner: any) => inner.route)) {
        problems.push(
          `A nested router with routes is mounted (${layer.regexp}); list its routes in this test`,
        );
      }
    }
    const documented = operations.map(
      operation =>
        `${operation.method} ${operation.path.replace(/\{(\w+)\}/g, ':$1')}`,
    );
    for (const route of served) {
      if (!documented.includes(route)) {
        problems.push(
          `The router serves ${route}, which is not in openapi.yaml: document it with its x-permission`,
        );
      }
    }
    for (const route of documented) {
      if (!served.includes(route)) {
        problems.push(`openapi.yaml documents ${route}, which is not served`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a request for every operation', () => {
    const problems: string[] = [];
    for (const operation of operations) {
      for (const parameter of operation.parameters) {
        const given =
          parameter.required ||
          optionalParameters[operation.operationId]?.includes(parameter.name);
        if (given && !(parameter.name in parameterValues)) {
          problems.push(
            `${describeOperation(operation)} requires ${
              parameter.in
            } parameter ${parameter.name}: add a value to parameterValues`,
          );
        }
      }
      if (operation.hasRequestBody && !requestBodies[operation.operationId]) {
        problems.push(
          `${describeOperation(
            operation,
          )} takes a request body: add an example to requestBodies under ${
            operation.operationId
          }`,
        );
      }
    }
    for (const [operationId, names] of Object.entries(optionalParameters)) {
      const operation = operations.find(o => o.operationId === operationId);
      for (const parameterName of names) {
        if (!operation?.parameters.some(p => p.name === parameterName)) {
          problems.push(
            `optionalParameters gives ${parameterName} to ${operationId}, which has no such parameter in openapi.yaml`,
          );
        }
      }
    }
    for (const operationId of Object.keys(requestBodies)) {
      if (
        !operations.some(
          operation =>
            operation.operationId === operationId && operation.hasRequestBody,
        )
      ) {
        problems.push(
          `requestBodies has an example for ${operationId}, which takes no body in openapi.yaml`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers every operation when everything is allowed, with the seeded data where it is filtered', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const answer = await call(server, seed, operation, userHeader());
      if (answer.status < 200 || answer.status >= 300) {
        problems.push(
          `${describeOperation(operation)} answered ${
            answer.status
          }: ${answer.text.slice(0, 300)}`,
        );
        continue;
      }
      // Each filter check below could fail only if the data is there to filter.
      if (
        operation.filterPermissions.length > 0 &&
        ![...entityText, ...findingText].some(
          text => answer.text.includes(text) && !answer.sent.includes(text),
        )
      ) {
        problems.push(
          `${describeOperation(
            operation,
          )} shows none of the seeded data even when allowed: seed more, or the filter check cannot fail`,
        );
      }
    }
    const findings = await call(
      server,
      seed,
      operations.find(operation => operation.operationId === 'ListFindings')!,
      userHeader(),
    );
    for (const text of findingText.filter(
      t => t !== awsSecret && t !== keySecret,
    )) {
      if (!findings.text.includes(text)) {
        problems.push(`The seeded findings do not show ${text}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers 401 to every operation without credentials, but the health check', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const answer = await call(
        server,
        seed,
        operation,
        mockCredentials.none.header(),
      );
      const expected = operation.unauthenticated ? 200 : 401;
      if (answer.status !== expected) {
        problems.push(
          `${describeOperation(operation)} answered ${
            answer.status
          } without credentials, expected ${expected}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(permissionNames)(
    'denies the operations that need %s, naming no entity data, and filters those that filter on it',
    async denied => {
      const problems: string[] = [];
      for (const operation of operations) {
        policy.allows = name => name !== denied;
        const answer = await call(server, seed, operation, userHeader());
        const name = describeOperation(operation);
        if (operation.permissions.includes(denied)) {
          if (answer.status !== 403) {
            problems.push(`${name} answered ${answer.status}, expected 403`);
          } else if (!answer.text.includes(denied)) {
            problems.push(`${name}: the 403 body does not name ${denied}`);
          }
          for (const text of [...entityText, ...findingText]) {
            if (answer.text.includes(text)) {
              problems.push(`${name}: the 403 body names ${text}`);
            }
          }
        } else if (operation.filterPermissions.includes(denied)) {
          if (answer.status < 200 || answer.status >= 300) {
            problems.push(
              `${name} answered ${answer.status}, expected 2xx with filtered content`,
            );
          }
          for (const text of [...entityText, ...findingText]) {
            if (answer.text.includes(text) && !answer.sent.includes(text)) {
              problems.push(`${name}: the filtered answer shows ${text}`);
            }
          }
        } else if (answer.status === 401 || answer.status === 403) {
          problems.push(
            `${name} answered ${answer.status} though it does not declare ${denied}: declare it in x-permission`,
          );
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('shows no finding text to a caller allowed only to upload scans', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      policy.allows = name =>
        name === securityScorecardsScanCreatePermission.name;
      const answer = await call(server, seed, operation, userHeader());
      for (const text of findingText) {
        if (answer.text.includes(text)) {
          problems.push(
            `${describeOperation(operation)} (${answer.status}) shows ${text}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
