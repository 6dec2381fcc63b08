import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DependencyTrackFindingSource } from './DependencyTrackFindingSource';
import {
  API_KEY,
  FakeDependencyTrack,
  PROJECT_ID,
  PROJECT_NAME,
  PROJECT_VERSION,
} from './__testUtils__/fakeDependencyTrack';

function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

describe('DependencyTrackFindingSource', () => {
  let fake: FakeDependencyTrack;
  let source: DependencyTrackFindingSource;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    fake = await FakeDependencyTrack.start();
    source = DependencyTrackFindingSource.fromConfig(
      new ConfigReader({
        securityScorecards: {
          dependencyTrack: { baseUrl: fake.baseUrl, apiKey: API_KEY },
          sources: {
            'dependency-track': {
              allow: [
                `uuid:${PROJECT_ID}`,
                PROJECT_NAME,
                'uuid:00000000-*',
                'gh?st',
              ],
            },
          },
        },
      }),
      { pageSize: 4, sleep: async () => {} },
    );
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('has the id dependency-track and an hourly default', () => {
    expect(source.id).toBe('dependency-track');
    expect(source.defaultFrequency).toEqual({ hours: 1 });
  });

  it('applies to entities with a project id or a project name', () => {
    expect(
      source.appliesTo(
        component('a', { 'dependencytrack/project-id': PROJECT_ID }),
      ),
    ).toBe(true);
    expect(
      source.appliesTo(
        component('b', {
          'dependencytrack/project-name': PROJECT_NAME,
          'dependencytrack/project-version': PROJECT_VERSION,
        }),
      ),
    ).toBe(true);
    expect(source.appliesTo(component('c'))).toBe(false);
    expect(
      source.appliesTo(
        component('d', { 'dependencytrack/project-version': '1.0.0' }),
      ),
    ).toBe(false);
  });

  it('collects the findings and all pages of components of the project id', async () => {
    const report = await source.collect(
      component('payments-api', { 'dependencytrack/project-id': PROJECT_ID }),
      { signal },
    );

    expect(report.findings).toHaveLength(8);
    expect(report.dependencies).toHaveLength(10);
    expect(fake.requests.map(request => request.path)).toEqual([
      `/api/v1/finding/project/${PROJECT_ID}`,
      `/api/v1/component/project/${PROJECT_ID}`,
      `/api/v1/component/project/${PROJECT_ID}`,
      `/api/v1/component/project/${PROJECT_ID}`,
    ]);
  });

  it('looks the project up by name and version', async () => {
    const report = await source.collect(
      component('payments-api', {
        'dependencytrack/project-name': PROJECT_NAME,
        'dependencytrack/project-version': PROJECT_VERSION,
      }),
      { signal },
    );

    expect(report.findings).toHaveLength(8);
    expect(fake.requests[0].path).toBe('/api/v1/project/lookup');
    expect(fake.requests[1].path).toBe(`/api/v1/finding/project/${PROJECT_ID}`);
  });

  it('names the annotations of an entity whose project is missing', async () => {
    await expect(
      source.collect(
        component('ghost', {
          'dependencytrack/project-id': '00000000-0000-4000-8000-000000000000',
        }),
        { signal },
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Dependency-Track at ${fake.baseUrl} has no project with UUID 00000000-0000-4000-8000-000000000000 (404 Not Found: The project could not be found.); see the annotation dependencytrack/project-id of component:default/ghost`,
    });
    await expect(
      source.collect(
        component('ghost', {
          'dependencytrack/project-name': 'ghost',
          'dependencytrack/project-version': '1.0',
        }),
        { signal },
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Dependency-Track at ${fake.baseUrl} has no project named 'ghost' with version '1.0' (404 Not Found: The project could not be found.); see the annotations dependencytrack/project-name and dependencytrack/project-version of component:default/ghost`,
    });
  });

  it('refuses a project id that is not a UUID without asking Dependency-Track', async () => {
    await expect(
      source.collect(
        component('typo', { 'dependencytrack/project-id': 'payments-api' }),
        { signal },
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "The annotation dependencytrack/project-id of component:default/typo must be a project UUID, got 'payments-api'",
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a project no allow glob allows, by id or by name, without asking Dependency-Track', async () => {
    const unconfigured = DependencyTrackFindingSource.fromConfig(
      new ConfigReader({
        securityScorecards: {
          dependencyTrack: { baseUrl: fake.baseUrl, apiKey: API_KEY },
        },
      }),
    );

    await expect(
      unconfigured.collect(
        component('payments-api', { 'dependencytrack/project-id': PROJECT_ID }),
        { signal },
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Refused to collect dependency-track for component:default/payments-api: the Dependency-Track project ${PROJECT_ID} of its annotation dependencytrack/project-id is not allowed; allow it (as 'uuid:${PROJECT_ID}') with a glob of securityScorecards.sources.dependency-track.allow`,
    });
    await expect(
      source.collect(
        component('intruder', {
          'dependencytrack/project-name': 'another-teams-project',
        }),
        { signal },
      ),
    ).rejects.toThrow(
      "Refused to collect dependency-track for component:default/intruder: the Dependency-Track project 'another-teams-project' of its annotations dependencytrack/project-name and dependencytrack/project-version is not allowed; allow it (as 'another-teams-project')",
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('fails with the config key when the API key is rejected', async () => {
    const wrongKey = DependencyTrackFindingSource.fromConfig(
      new ConfigReader({
        securityScorecards: {
          dependencyTrack: { baseUrl: fake.baseUrl, apiKey: 'odt_revoked' },
          sources: { 'dependency-track': { allow: ['uuid:*'] } },
        },
      }),
    );

    await expect(
      wrongKey.collect(
        component('payments-api', {
          'dependencytrack/project-id': PROJECT_ID,
        }),
        { signal },
      ),
    ).rejects.toThrow(
      'rejected the API key (401 Unauthorized); check securityScorecards.dependencyTrack.apiKey',
    );
  });
});
