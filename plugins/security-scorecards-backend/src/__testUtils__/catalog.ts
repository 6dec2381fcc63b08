import { Entity } from '@backstage/catalog-model';

/** A team in the default namespace, under `parent` when given. */
function groupEntity(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  };
}

/** The teams acme > commerce > payments > fraud, and acme > platform. */
export const acmeGroups: Entity[] = [
  groupEntity('acme'),
  groupEntity('commerce', 'acme'),
  groupEntity('payments', 'commerce'),
  groupEntity('fraud', 'payments'),
  groupEntity('platform', 'acme'),
];

/** A production service in the default namespace, with annotations when given. */
export function serviceComponent(
  name: string,
  owner: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(annotations && { annotations }),
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}
