import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** A permissions service factory that denies the permissions named to everyone and allows the rest. */
export function permissionsDenying(names: string[]) {
  const decide = async (
    requests: readonly { permission: { name: string } }[],
  ) =>
    requests.map(item => ({
      result: names.includes(item.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })) as any;
  return mockServices.permissions.mock({
    authorize: decide,
    authorizeConditional: decide,
  }).factory;
}

/**
 * A permissions service that allows one permission only on the entities
 * named, as a conditional policy (e.g. `isEntityOwner`) would, and every
 * other permission everywhere. `service.authorize.mock.calls` tells what was
 * asked; `factory` goes to startTestBackend.
 */
export function permissionsAllowingOnEntities(
  permissionName: string,
  entityRefs: string[],
) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(item => ({
        result:
          item.permission.name !== permissionName ||
          ('resourceRef' in item &&
            item.resourceRef !== undefined &&
            entityRefs.includes(item.resourceRef))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    authorizeConditional: async requests =>
      requests.map(item =>
        item.permission.name === permissionName
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: [] },
              },
            }
          : { result: AuthorizeResult.ALLOW },
      ) as any,
  });
}
