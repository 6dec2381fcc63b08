import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';

/**
 * A function from an entity ref to the path of the entity's "Security" tab,
 * e.g. `/catalog/default/group/payments/security`.
 */
export function useEntitySecurityLink(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) =>
      `${entityRoute(
        entityRouteParams(entityRef, { encodeParams: true }),
      )}/security`,
    [entityRoute],
  );
}
