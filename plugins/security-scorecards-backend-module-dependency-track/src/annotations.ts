import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The UUID of the entity's project in Dependency-Track.
 *
 * @public
 */
export const DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION =
  'dependencytrack/project-id';

/**
 * The name of the entity's project in Dependency-Track, looked up together
 * with {@link DEPENDENCY_TRACK_PROJECT_VERSION_ANNOTATION} when there is no
 * {@link DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION}.
 *
 * @public
 */
export const DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION =
  'dependencytrack/project-name';

/**
 * The version of the entity's project in Dependency-Track.
 *
 * @public
 */
export const DEPENDENCY_TRACK_PROJECT_VERSION_ANNOTATION =
  'dependencytrack/project-version';

/**
 * How an entity names its Dependency-Track project: by UUID, or by name and
 * (optional, for a project without a version) version.
 *
 * @public
 */
export type DependencyTrackProjectReference =
  | { projectId: string }
  | { name: string; version?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}

/**
 * Tells whether an entity carries a Dependency-Track project annotation, valid
 * or not: an invalid one is reported when collecting, so that it shows as a
 * failing source rather than being ignored.
 *
 * @public
 */
export function hasDependencyTrackAnnotation(entity: Entity): boolean {
  return (
    annotation(entity, DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION) !== undefined ||
    annotation(entity, DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION) !== undefined
  );
}

/**
 * The Dependency-Track project an entity's annotations name. The project id
 * wins over name and version.
 *
 * @public
 * @throws InputError when the entity has no annotation, or a project id that is not a UUID
 */
export function dependencyTrackProjectReference(
  entity: Entity,
): DependencyTrackProjectReference {
  const projectId = annotation(entity, DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION);
  if (projectId !== undefined) {
    if (!UUID.test(projectId)) {
      throw new InputError(
        `The annotation ${DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION} of ${stringifyEntityRef(
          entity,
        )} must be a project UUID, got '${projectId}'`,
      );
    }
    return { projectId: projectId.toLowerCase() };
  }
  const name = annotation(entity, DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION);
  if (name === undefined) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} has neither the annotation ${DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION} nor ${DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION}`,
    );
  }
  const version = annotation(
    entity,
    DEPENDENCY_TRACK_PROJECT_VERSION_ANNOTATION,
  );
  return version === undefined ? { name } : { name, version };
}
