import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { securityScorecardsFindingSourcesExtensionPoint } from '@secdevops/plugin-security-scorecards-node';
import request from 'supertest';
import { securityScorecardsPlugin } from './plugin';

const githubSourceModule = createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'test-github',
  register(env) {
    env.registerInit({
      deps: { findingSources: securityScorecardsFindingSourcesExtensionPoint },
      async init({ findingSources }) {
        findingSources.addFindingSource({
          id: 'github',
          appliesTo: entity =>
            !!entity.metadata.annotations?.['github.com/project-slug'],
          defaultFrequency: { hours: 1 },
          collect: async () => ({
            format: 'github-dependabot',
            scanner: 'GitHub',
            findings: [],
            dependencies: [],
          }),
        });
      },
    });
  },
});

describe('securityScorecardsPlugin', () => {
  it('serves an unauthenticated health check, and the added finding sources to signed-in callers', async () => {
    const { server } = await startTestBackend({
      features: [securityScorecardsPlugin, githubSourceModule],
    });

    const health = await request(server)
      .get('/api/security-scorecards/health')
      .set('Authorization', mockCredentials.none.header());
    const sources = await request(server).get(
      '/api/security-scorecards/sources',
    );

    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    // The built-in report-URL source, then the ones modules added.
    expect(sources.body).toEqual({ items: [{ id: 'url' }, { id: 'github' }] });
  });

  it('serves the scans of an entity from its database to signed-in users only', async () => {
    const { server } = await startTestBackend({
      features: [securityScorecardsPlugin, mockServices.database.factory()],
    });

    const signedIn = await request(server)
      .get(
        '/api/security-scorecards/scans?entityRef=component:default/payments',
      )
      .set('Authorization', mockCredentials.user.header());
    const anonymous = await request(server)
      .get(
        '/api/security-scorecards/scans?entityRef=component:default/payments',
      )
      .set('Authorization', mockCredentials.none.header());

    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ items: [], collectors: [] });
    expect(anonymous.status).toBe(401);
  });

  it('refuses two finding sources with the same id', async () => {
    await expect(
      startTestBackend({
        features: [
          securityScorecardsPlugin,
          githubSourceModule,
          createBackendModule({
            pluginId: 'security-scorecards',
            moduleId: 'test-github-again',
            register(env) {
              env.registerInit({
                deps: {
                  findingSources:
                    securityScorecardsFindingSourcesExtensionPoint,
                },
                async init({ findingSources }) {
                  findingSources.addFindingSource({
                    id: 'github',
                    appliesTo: () => true,
                    defaultFrequency: { hours: 1 },
                    collect: async () => ({
                      format: 'github-dependabot',
                      scanner: 'GitHub',
                      findings: [],
                      dependencies: [],
                    }),
                  });
                },
              });
            },
          }),
        ],
      }),
    ).rejects.toThrow(/finding source with id 'github' was already added/);
  });
});
