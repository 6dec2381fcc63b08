import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityLookup } from './EntityLookup';

describe('EntityLookup', () => {
  it("reads the catalog with the plugin's own credentials, not the caller's", async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments' },
      })),
    });
    const lookup = new EntityLookup(
      catalog,
      mockServices.auth({ pluginId: 'security-scorecards' }),
    );

    await lookup.require('component:default/payments');

    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/payments',
      { credentials: mockCredentials.service('plugin:security-scorecards') },
    );
  });

  it('answers a missing entity with a 404 that names it', async () => {
    const lookup = new EntityLookup(
      catalogServiceMock({ entities: [] }),
      mockServices.auth(),
    );
    await expect(
      lookup.require('component:default/nope', 'register it first'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'No entity component:default/nope in the catalog: register it first',
    });
  });
});
