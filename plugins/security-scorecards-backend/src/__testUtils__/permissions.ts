import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** A permissions service factory that denies the permissions named to everyone and allows the rest. */
export function permissionsDenying(names: string[]) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(item => ({
        result: names.includes(item.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
  }).factory;
}
