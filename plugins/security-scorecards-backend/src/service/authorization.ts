import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { EntityFilter } from '../catalog/EntityFilter';

/**
 * The permission checks of the routes: a resource permission on a catalog
 * entity, or a basic one. Each throws NotAllowedError (403) naming only the
 * permission when the policy denies: never the entity, so that a denied
 * answer does not tell whether the entity exists.
 */
export class RouteAuthorization {
  constructor(private readonly permissions: PermissionsService) {}

  /** Whether the policy allows a permission on an entity. */
  async isAllowedOnEntity(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * Throws NotAllowedError unless the policy allows a permission on an
   * entity. Call it before looking the entity up, so that an unknown entity
   * and a denied one answer alike.
   */
  async requireOnEntity(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    if (!(await this.isAllowedOnEntity(permission, entityRef, credentials))) {
      throw notAllowed(permission);
    }
  }

  /**
   * Throws NotAllowedError when the policy denies a resource permission
   * outright, on every entity; allowing it on some entities is enough.
   */
  async requireOnSomeEntities(
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw notAllowed(permission);
    }
  }

  /**
   * The filter of a permission on entities: which entities of a list the
   * policy allows it on, asked in one batched call per list.
   */
  entityFilter(
    permission: ResourcePermission<'catalog-entity'>,
    credentials: BackstageCredentials,
  ): EntityFilter {
    return async entityRefs => {
      const unique = [...new Set(entityRefs)];
      if (unique.length === 0) return new Set();
      const decisions = await this.permissions.authorize(
        unique.map(entityRef => ({ permission, resourceRef: entityRef })),
        { credentials },
      );
      return new Set(
        unique.filter(
          (_entityRef, index) =>
            decisions[index].result === AuthorizeResult.ALLOW,
        ),
      );
    };
  }

  async require(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw notAllowed(permission);
    }
  }
}

function notAllowed(permission: { name: string }): NotAllowedError {
  return new NotAllowedError(`Not allowed: ${permission.name}`);
}
