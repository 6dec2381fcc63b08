import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  CollectorBinding,
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
 * Dependency-Track knows nothing that ties a project to a catalog entity and
 * that the entity's author could not copy (names and external references are
 * set by whoever uploads the BOM), so an entity may only name a project that
 * a glob of `securityScorecards.sources.dependency-track.allow` allows: the
 * glob matches the project name, or `uuid:<project UUID>` for a project id.
 * Any other is refused before any request, with the reason recorded on the
 * run. Without globs, nothing is collected.
 *
 * @public
 */
export class DependencyTrackFindingSource implements FindingSource {
  readonly id = DEPENDENCY_TRACK_SOURCE_ID;
  readonly defaultFrequency = { hours: 1 };

  /**
   * A source with a client from `securityScorecards.dependencyTrack` and the
   * projects `securityScorecards.sources.dependency-track.allow` allows.
   */
  static fromConfig(
    config: Config,
    options: Omit<DependencyTrackClientOptions, 'baseUrl' | 'apiKey'> = {},
  ): DependencyTrackFindingSource {
    return new DependencyTrackFindingSource(
      DependencyTrackClient.fromConfig(config, options),
      CollectorBinding.fromConfig(config, DEPENDENCY_TRACK_SOURCE_ID),
    );
  }

  constructor(
    private readonly client: DependencyTrackClient,
    private readonly binding: CollectorBinding,
  ) {}

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
    // Before any request: the API key reads every project of its team.
    this.binding.checkAllowListed(
      entity,
      'projectId' in reference
        ? [`uuid:${reference.projectId}`]
        : [reference.name],
      'projectId' in reference
        ? `the Dependency-Track project ${reference.projectId} of its ${annotations}`
        : `the Dependency-Track project '${reference.name}' of its ${annotations}`,
    );
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
