import { ConfigReader } from '@backstage/config';
import { DependencyTrackClient } from './DependencyTrackClient';
import {
  API_KEY,
  FakeDependencyTrack,
  PROJECT_ID,
  PROJECT_NAME,
  PROJECT_VERSION,
} from './__testUtils__/fakeDependencyTrack';
import componentsFixture from './__fixtures__/components.json';
import findingsFixture from './__fixtures__/findings.json';

describe('DependencyTrackClient', () => {
  let fake: FakeDependencyTrack;
  let sleeps: number[];

  const client = (
    options: Partial<
      ConstructorParameters<typeof DependencyTrackClient>[0]
    > = {},
  ) =>
    new DependencyTrackClient({
      baseUrl: fake.baseUrl,
      apiKey: API_KEY,
      sleep: async ms => {
        sleeps.push(ms);
      },
      ...options,
    });

  beforeEach(async () => {
    fake = await FakeDependencyTrack.start();
    sleeps = [];
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('reads all findings of a project, suppressed ones included, with the API key', async () => {
    const findings = await client().getFindings(PROJECT_ID);

    expect(findings).toEqual(findingsFixture);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: `/api/v1/finding/project/${PROJECT_ID}`,
      apiKey: API_KEY,
    });
    expect(fake.requests[0].query.get('suppressed')).toBe('true');
  });

  it('reads the components page by page until X-Total-Count of them were read', async () => {
    const components = await client({ pageSize: 4 }).getComponents(PROJECT_ID);

    expect(components).toEqual(componentsFixture);
    expect(
      fake.requests.map(request => [
        request.path,
        request.query.get('pageSize'),
        request.query.get('pageNumber'),
      ]),
    ).toEqual([
      [`/api/v1/component/project/${PROJECT_ID}`, '4', '1'],
      [`/api/v1/component/project/${PROJECT_ID}`, '4', '2'],
      [`/api/v1/component/project/${PROJECT_ID}`, '4', '3'],
    ]);
  });

  it('reads one page when all components fit, and stops on a full last page', async () => {
    await client().getComponents(PROJECT_ID);
    expect(fake.requests).toHaveLength(1);

    fake.requests.length = 0;
    await client({ pageSize: 5 }).getComponents(PROJECT_ID);
    expect(fake.requests).toHaveLength(2); // 10 components: 5 + 5, no empty third page
  });

  it('looks a project up by name and version', async () => {
    const project = await client().lookupProject(PROJECT_NAME, PROJECT_VERSION);

    expect(project.uuid).toBe(PROJECT_ID);
    expect(fake.requests[0].path).toBe('/api/v1/project/lookup');
    expect(Object.fromEntries(fake.requests[0].query)).toEqual({
      name: PROJECT_NAME,
      version: PROJECT_VERSION,
    });
  });

  it('says which project is missing on a 404', async () => {
    await expect(
      client().lookupProject(PROJECT_NAME, '9.9.9'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Dependency-Track at ${fake.baseUrl} has no project named 'payments-api' with version '9.9.9' (404 Not Found: The project could not be found.)`,
    });
    await expect(
      client().getFindings('00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Dependency-Track at ${fake.baseUrl} has no project with UUID 00000000-0000-4000-8000-000000000000 (404 Not Found: The project could not be found.)`,
    });
  });

  it('names the config key of the API key on a 401, without retrying and without showing the key', async () => {
    const error = await client({ apiKey: 'odt_wrong' })
      .getFindings(PROJECT_ID)
      .catch(e => e);

    expect(error).toMatchObject({
      name: 'AuthenticationError',
      message: `Dependency-Track at ${fake.baseUrl} rejected the API key (401 Unauthorized); check securityScorecards.dependencyTrack.apiKey`,
    });
    expect(error.message).not.toContain('odt_wrong');
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('names the permissions the API key needs on a 403', async () => {
    fake.failNext(403, {}, 'Access to the specified project is forbidden');

    await expect(client().getFindings(PROJECT_ID)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Dependency-Track at ${fake.baseUrl} refused GET /api/v1/finding/project/${PROJECT_ID} (403 Forbidden: Access to the specified project is forbidden); the API key in securityScorecards.dependencyTrack.apiKey needs the permissions VIEW_PORTFOLIO and VIEW_VULNERABILITY, and access to the project`,
    });
  });

  it('retries 429 and 5xx answers with exponential backoff, honouring Retry-After', async () => {
    fake.failNext(503);
    fake.failNext(429, { 'Retry-After': '7' });
    fake.failNext(502);

    const findings = await client({ retryDelayMs: 100 }).getFindings(
      PROJECT_ID,
    );

    expect(findings).toHaveLength(findingsFixture.length);
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 7000, 400]);
  });

  it('gives up after the bounded number of retries', async () => {
    for (let i = 0; i < 5; i++) fake.failNext(500, {}, 'boom');

    await expect(
      client({ maxRetries: 2, retryDelayMs: 10 }).getComponents(PROJECT_ID),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Dependency-Track at ${fake.baseUrl} answered GET /api/v1/component/project/${PROJECT_ID} with 500 Internal Server Error: boom (after 2 retries)`,
    });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('caps the wait before a retry', async () => {
    fake.failNext(429, { 'Retry-After': '3600' });

    await client({ maxRetryDelayMs: 5000 }).getFindings(PROJECT_ID);

    expect(sleeps).toEqual([5000]);
  });

  it('retries network failures', async () => {
    const unreachable = new DependencyTrackClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: API_KEY,
      maxRetries: 1,
      retryDelayMs: 5,
      sleep: async ms => {
        sleeps.push(ms);
      },
    });

    await expect(unreachable.getFindings(PROJECT_ID)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        'Dependency-Track at http://127.0.0.1:1 could not be reached (GET /api/v1/finding/project/',
      ),
    });
    expect(sleeps).toEqual([5]);
  });

  it('tells that a non-JSON answer probably comes from the frontend', async () => {
    fake.failNext(200, { 'Content-Type': 'text/html' }, '<html></html>');

    await expect(client().getFindings(PROJECT_ID)).rejects.toThrow(
      'is securityScorecards.dependencyTrack.baseUrl the URL of the API server rather than the frontend?',
    );
  });

  it('does not follow a redirect with the API key', async () => {
    fake.failNext(302, { Location: 'https://elsewhere.example.com/api' });

    await expect(client().getFindings(PROJECT_ID)).rejects.toThrow(
      `Dependency-Track at ${fake.baseUrl} redirected GET /api/v1/finding/project/${PROJECT_ID} (302 Found) to https://elsewhere.example.com/api; set securityScorecards.dependencyTrack.baseUrl to the URL of the API server`,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('accepts a base URL with a trailing /api, and reads its settings from config', async () => {
    const fromConfig = DependencyTrackClient.fromConfig(
      new ConfigReader({
        securityScorecards: {
          dependencyTrack: { baseUrl: `${fake.baseUrl}/api/`, apiKey: API_KEY },
        },
      }),
    );

    await fromConfig.getFindings(PROJECT_ID);

    expect(fake.requests[0].path).toBe(`/api/v1/finding/project/${PROJECT_ID}`);
  });

  it('names the missing config key', () => {
    expect(() =>
      DependencyTrackClient.fromConfig(
        new ConfigReader({
          securityScorecards: { dependencyTrack: { baseUrl: fake.baseUrl } },
        }),
      ),
    ).toThrow(
      "Missing required config value at 'securityScorecards.dependencyTrack.apiKey'",
    );
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(
      client().getFindings(PROJECT_ID, { signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    expect(fake.requests).toHaveLength(0);
  });
});
