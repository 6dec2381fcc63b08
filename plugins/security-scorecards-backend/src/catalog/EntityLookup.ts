import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Reads entities from the catalog with the plugin's own credentials, after a
 * route has authorized the caller with a permission on the entity. The
 * caller's credentials would not do: a CI token restricted to this plugin
 * (`backend.auth.externalAccess` with `accessRestrictions`) may not be passed
 * on to the catalog.
 */
export class EntityLookup {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /** The entity, or a 404 naming it and `hint`. */
  async require(entityRef: string, hint?: string): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${entityRef} in the catalog${hint ? `: ${hint}` : ''}`,
      );
    }
    return entity;
  }

  /** The entities of the refs, in order; undefined for unknown ones. */
  async getMany(entityRefs: string[], fields?: string[]) {
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs, ...(fields ? { fields } : {}) },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items;
  }
}
