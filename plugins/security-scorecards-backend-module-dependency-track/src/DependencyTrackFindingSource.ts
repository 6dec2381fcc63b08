import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  FindingSource,
  ParsedReport,
} from '@secdevops/plugin-security-scorecards-node';
import {
  DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION,
  DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION,
  DEPENDENCY_TRACK_PROJECT_VERSION_ANNOTATION,
  dependencyTrackProjectReference,
  hasDependencyTrackAnnotation,
} from './annotations';
import {
  DependencyTrackClient,
  DependencyTrackClientOptions,
} from './DependencyTrackClient';
import { dependencyTrackReport } from './mapping';

/**
 * The id of the Dependency-Track finding source, also the `source` of the
 * scans it stores and the key of its schedule in app-config.
 *
 * @public
 */
export const DEPENDENCY_TRACK_SOURCE_ID = 'dependency-track';

/**
 * Collects the findings and components of an entity's Dependency-Track
 * project: the entity names it with `dependencytrack/project-id`, or with
 * `dependencytrack/project-name` and `dependencytrack/project-version`.
 *
 * @public
 */
export class DependencyTrackFindingSource implements FindingSource {
  readonly id = DEPENDENCY_TRACK_SOURCE_ID;
  readonly defaultFrequency = { hours: 1 };

  /** A source with a client from `securityScorecards.dependencyTrack`. */
  static fromConfig(
    config: Config,
    options: Omit<DependencyTrackClientOptions, 'baseUrl' | 'apiKey'> = {},
  ): DependencyTrackFindingSource {
    return new DependencyTrackFindingSource(
      DependencyTrackClient.fromConfig(config, options),
    );
  }

  constructor(private readonly client: DependencyTrackClient) {}

  appliesTo(entity: Entity): boolean {
    return hasDependencyTrackAnnotation(entity);
  }

  async collect(
    entity: Entity,
    options: { signal: AbortSignal },
  ): Promise<ParsedReport> {
    const { signal } = options;
    const reference = dependencyTrackProjectReference(entity);
    const annotations =
      'projectId' in reference
        ? `annotation ${DEPENDENCY_TRACK_PROJECT_ID_ANNOTATION}`
        : `annotations ${DEPENDENCY_TRACK_PROJECT_NAME_ANNOTATION} and ${DEPENDENCY_TRACK_PROJECT_VERSION_ANNOTATION}`;
    try {
      const projectId =
        'projectId' in reference
          ? reference.projectId
          : (
              await this.client.lookupProject(
                reference.name,
                reference.version,
                { signal },
              )
            ).uuid;
      const findings = await this.client.getFindings(projectId, { signal });
      const components = await this.client.getComponents(projectId, {
        signal,
      });
      return dependencyTrackReport({ findings, components });
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(
          `${error.message}; see the ${annotations} of ${stringifyEntityRef(
            entity,
          )}`,
        );
      }
      throw error;
    }
  }
}
