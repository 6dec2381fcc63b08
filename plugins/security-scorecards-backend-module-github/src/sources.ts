import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  CollectorBinding,
  FindingSource,
  FindingSourceState,
  parseReport,
  ParsedReport,
} from '@secdevops/plugin-security-scorecards-node';
import {
  GithubAlertKind,
  GithubAlertsClient,
  GithubRepository,
} from './GithubAlertsClient';
import { readListState, writeListState } from './listState';
import { parseGithubSecretScanning } from './secretScanning';

/** The repository of an entity, `owner/repo`. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';
/** The GitHub host of the repository, when it is not github.com and not the host of the source location. */
export const GITHUB_HOST_ANNOTATION = 'github.com/host';

/** The finding source id of each kind: also the scan `source` its results replace. */
export const GITHUB_SOURCE_IDS: Record<GithubAlertKind, string> = {
  dependabot: 'github-dependabot',
  'code-scanning': 'github-code-scanning',
  'secret-scanning': 'github-secret-scanning',
};

const SLUG = /^([\w.-]+)\/([\w.-]+)$/;

/**
 * The GitHub repository of an entity: `github.com/project-slug` on the host
 * of `github.com/host`, else the host of `backstage.io/source-location` when
 * it is a configured GitHub integration, else github.com.
 */
export function githubRepositoryOf(
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): GithubRepository | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const match = annotations[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim().match(SLUG);
  if (!match) return undefined;
  const [, owner, rawRepo] = match;
  const repo = rawRepo.replace(/\.git$/, '');
  const explicitHost = annotations[GITHUB_HOST_ANNOTATION]?.trim();
  if (explicitHost) return { host: explicitHost, owner, repo };
  return { host: sourceLocationHost(entity, integrations), owner, repo };
}

function sourceLocationHost(
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): string {
  const location = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (location) {
    try {
      const { type, target } = parseLocationRef(location);
      if (type === 'url') {
        const host = new URL(target).host;
        if (integrations.github.byHost(host)) return host;
      }
    } catch {
      // Not a location we can read a host from.
    }
  }
  return 'github.com';
}

/** Options of {@link createGithubFindingSources}. */
export interface GithubFindingSourcesOptions {
  client: GithubAlertsClient;
  integrations: ScmIntegrationRegistry;
  /** The kinds to collect, one finding source each. Default: all. */
  kinds: readonly GithubAlertKind[];
  /**
   * What each source may read for an entity, by source id: usually
   * `CollectorBinding.fromConfig(config, sourceId)`. A repository that is not
   * the entity's own and not allow-listed is refused before any request.
   */
  bindingOf(sourceId: string): CollectorBinding;
  defaultFrequency?: { minutes?: number; hours?: number };
}

function reportOf(
  kind: GithubAlertKind,
  alerts: unknown[],
  repository: GithubRepository,
): ParsedReport {
  if (kind === 'secret-scanning') {
    return parseGithubSecretScanning(alerts, {
      repository: `${repository.owner}/${repository.repo}`,
    });
  }
  // The same parsers as uploads of the alerts, so a collected alert and an
  // uploaded one are the same finding.
  return parseReport(Buffer.from(JSON.stringify(alerts)), {
    format:
      kind === 'dependabot' ? 'github-dependabot' : 'github-code-scanning',
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
}

/**
 * One finding source per kind of GitHub security alert, for entities with a
 * `github.com/project-slug`: `github-dependabot`, `github-code-scanning` and
 * `github-secret-scanning`. Each collection reads every alert of the kind in
 * every state, so alerts fixed or dismissed on GitHub are stored with that
 * status, and alerts that disappeared are fixed by the scan replacement. It
 * returns `undefined` (unchanged) when GitHub answers 304 Not Modified for
 * every page since the entity's last successful collection: the ETags of the
 * pages (and the next-page cursors, never alerts) are the source's state,
 * which the backend keeps per source and entity, so they survive restarts
 * and are shared by every backend instance.
 *
 * An entity reads only its own repository (where the catalog read it
 * from) or one that `securityScorecards.sources.<id>.allow` allows; any
 * other is refused with the reason recorded on the run, and nothing is
 * requested from GitHub.
 *
 * A kind that is not switched on for the repository (code scanning without
 * analyses or Advanced Security, Dependabot alerts or secret scanning
 * disabled) is collected as no alerts, not as a failure.
 */
export function createGithubFindingSources(
  options: GithubFindingSourcesOptions,
): FindingSource[] {
  const { client, integrations } = options;
  return options.kinds.map(kind => {
    const id = GITHUB_SOURCE_IDS[kind];
    const binding = options.bindingOf(id);
    return {
      id,
      appliesTo: (entity: Entity) =>
        githubRepositoryOf(entity, integrations) !== undefined,
      defaultFrequency: options.defaultFrequency ?? { hours: 1 },
      async collect(
        entity: Entity,
        // `state` is optional for backends from before finding sources had it.
        { signal, state }: { signal: AbortSignal; state?: FindingSourceState },
      ) {
        const repository = githubRepositoryOf(entity, integrations);
        if (!repository) {
          throw new Error(
            `${stringifyEntityRef(
              entity,
            )} has no valid ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation (owner/repo)`,
          );
        }
        // The backend's credentials read any repository they can: only the
        // entity's own, or an allow-listed one, before any request.
        binding.checkGithubRepository(
          entity,
          repository,
          GITHUB_PROJECT_SLUG_ANNOTATION,
        );
        const list = await client.listAlerts({
          repository,
          kind,
          // Anything unreadable (another version, corrupt) reads everything.
          previous: readListState(state?.previous),
          signal,
        });
        // A report that fails to parse throws before the new ETags are set:
        // the backend then keeps the state of the last stored result, and the
        // next run reads the changed pages again.
        const report = list.changed
          ? reportOf(kind, list.alerts, repository)
          : undefined;
        state?.set(writeListState(list.state));
        return report;
      },
    };
  });
}
