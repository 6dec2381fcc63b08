import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { minimatch } from 'minimatch';

/**
 * A repository on a GitHub host, e.g. `{ host: 'github.com', owner: 'acme',
 * repo: 'payments' }`.
 *
 * @public
 */
export interface GithubRepositoryLocation {
  host: string;
  owner: string;
  repo: string;
}

/** Hosts that serve the files of github.com repositories. */
const GITHUB_COM_FILE_HOSTS = ['raw.githubusercontent.com'];

/**
 * Encoded separators and dots that some URL readers decode after the check,
 * so that a URL which looks under a location would read outside it.
 */
const AMBIGUOUS_PATH = /%2f|%5c|%2e|\\/i;

const GLOB_OPTIONS = {
  nocase: true,
  dot: true,
  nonegate: true,
  nocomment: true,
  platform: 'linux',
} as const;

/**
 * The repository a GitHub URL points into: `https://<host>/<owner>/<repo>/…`
 * on one of `githubHosts`, or a raw.githubusercontent.com URL of a github.com
 * repository. Undefined for anything else.
 *
 * @public
 */
export function githubRepositoryOfUrl(
  url: string,
  githubHosts: readonly string[] = ['github.com'],
): GithubRepositoryLocation | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  let host = parsed.host.toLowerCase();
  if (GITHUB_COM_FILE_HOSTS.includes(host)) host = 'github.com';
  if (!githubHosts.some(candidate => candidate.toLowerCase() === host)) {
    return undefined;
  }
  const [owner, rawRepo] = parsed.pathname.split('/').filter(Boolean);
  const repo = rawRepo?.replace(/\.git$/i, '');
  if (!owner || !repo) return undefined;
  return { host, owner, repo };
}

function sameRepository(
  a: GithubRepositoryLocation,
  b: GithubRepositoryLocation,
): boolean {
  return (
    a.host.toLowerCase() === b.host.toLowerCase() &&
    a.owner.toLowerCase() === b.owner.toLowerCase() &&
    a.repo.toLowerCase() === b.repo.toLowerCase()
  );
}

function remoteUrlOf(locationRef: string | undefined): string | undefined {
  if (!locationRef) return undefined;
  try {
    const { type, target } = parseLocationRef(locationRef);
    if (type !== 'url') return undefined;
    const url = new URL(target);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The remote locations an entity is bound to: where the catalog read it
 * from (`backstage.io/managed-by-location`, else
 * `backstage.io/managed-by-origin-location`), and, only when
 * `trustSourceLocation` is set, its `backstage.io/source-location`.
 *
 * The catalog writes the managed-by annotations itself, over whatever the
 * entity's file says, so only someone who can change the files of that
 * location can bind an entity to it. `backstage.io/source-location` is
 * written by the entity's author and so proves nothing on its own: an author
 * could name another team's repository there as easily as in
 * `github.com/project-slug`. A `file:` location binds nothing remote.
 *
 * @public
 */
export function boundLocationsOf(
  entity: Entity,
  options: { trustSourceLocation?: boolean } = {},
): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const locations = [
    remoteUrlOf(annotations[ANNOTATION_LOCATION]) ??
      remoteUrlOf(annotations[ANNOTATION_ORIGIN_LOCATION]),
    options.trustSourceLocation
      ? remoteUrlOf(annotations[ANNOTATION_SOURCE_LOCATION])
      : undefined,
  ];
  return [...new Set(locations.filter((l): l is string => Boolean(l)))];
}

/** The folder of a location URL: itself when it ends with `/`, else its parent. */
function folderOf(location: string): string {
  const url = new URL(location);
  url.search = '';
  url.hash = '';
  return url.href.slice(0, url.href.lastIndexOf('/') + 1);
}

/** Options of {@link CollectorBinding}. */
export interface CollectorBindingOptions {
  /** The finding source id, as in `securityScorecards.sources.<id>.allow`. */
  sourceId: string;
  /** Globs of targets any entity may name (repository slugs, URLs, project names). */
  allow?: readonly string[];
  /** Hosts of GitHub and GitHub Enterprise; github.com is always one. */
  githubHosts?: readonly string[];
  /** Whether `backstage.io/source-location` binds too; see {@link boundLocationsOf}. */
  trustSourceLocation?: boolean;
}

/**
 * Decides whether an entity may have a collector read a remote target with
 * the backend's credentials. A collector reads what an entity's annotations
 * name, and anyone who can edit an entity can write any repository, URL or
 * project there; without this check they could read another team's private
 * alerts through the backend (a confused deputy). A target is allowed when
 * it lies in the entity's own location (see {@link boundLocationsOf}) or
 * matches a glob of `securityScorecards.sources.<id>.allow`.
 *
 * Each check throws a `NotAllowedError` naming the entity, the target and
 * the way to allow it; call it before any request to the remote, so that a
 * refused collection reads nothing.
 *
 * @public
 */
export class CollectorBinding {
  /**
   * Reads `securityScorecards.sources.<sourceId>.allow`,
   * `securityScorecards.sources.trustSourceLocation` and the GitHub hosts of
   * `integrations.github`.
   */
  static fromConfig(
    config: RootConfigService,
    sourceId: string,
  ): CollectorBinding {
    const key = `securityScorecards.sources.${sourceId}.allow`;
    const allow = config.getOptionalStringArray(key) ?? [];
    for (const glob of allow) {
      if (!glob.trim()) {
        throw new Error(`Invalid ${key}: a glob is empty`);
      }
    }
    const githubHosts =
      config
        .getOptionalConfigArray('integrations.github')
        ?.map(github => github.getOptionalString('host') ?? 'github.com') ?? [];
    return new CollectorBinding({
      sourceId,
      allow,
      githubHosts,
      trustSourceLocation:
        config.getOptionalBoolean(
          'securityScorecards.sources.trustSourceLocation',
        ) ?? false,
    });
  }

  private readonly allow: readonly string[];
  private readonly githubHosts: readonly string[];

  constructor(private readonly options: CollectorBindingOptions) {
    this.allow = options.allow ?? [];
    this.githubHosts = [
      'github.com',
      ...(options.githubHosts ?? []).map(host => host.toLowerCase()),
    ];
  }

  /** Whether one of the allow globs matches a target. */
  isAllowListed(target: string): boolean {
    return this.allow.some(glob => minimatch(target, glob, GLOB_OPTIONS));
  }

  /**
   * Refuses a GitHub repository unless it is the repository of the entity's
   * location, or its `owner/repo` matches an allow glob.
   */
  checkGithubRepository(
    entity: Entity,
    repository: GithubRepositoryLocation,
    annotation: string,
  ): void {
    const slug = `${repository.owner}/${repository.repo}`;
    const locations = this.locationsOf(entity);
    const own = locations.some(location => {
      const bound = githubRepositoryOfUrl(location, this.githubHosts);
      return bound !== undefined && sameRepository(bound, repository);
    });
    if (own || this.isAllowListed(slug)) return;
    throw this.refusal(
      entity,
      `the repository ${repository.host}/${slug} of its ${annotation} annotation`,
      locations,
    );
  }

  /**
   * Refuses a URL unless it lies under the entity's location (in the same
   * GitHub repository, or the same origin and folder), or matches an allow
   * glob. URLs with encoded slashes, backslashes or dots, or with
   * credentials, are refused whatever the globs say.
   */
  checkUrl(entity: Entity, url: string, annotation: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new NotAllowedError(
        `Refused to read '${url}' of the ${annotation} annotation of ${stringifyEntityRef(
          entity,
        )}: it is not a URL`,
      );
    }
    if (
      (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
      parsed.username ||
      parsed.password ||
      AMBIGUOUS_PATH.test(parsed.pathname) ||
      AMBIGUOUS_PATH.test(url.split(/[?#]/)[0])
    ) {
      throw new NotAllowedError(
        `Refused to read '${url}' of the ${annotation} annotation of ${stringifyEntityRef(
          entity,
        )}: only http(s) URLs without credentials, encoded slashes, backslashes or encoded dots are read`,
      );
    }
    const href = parsed.href;
    const target = githubRepositoryOfUrl(href, this.githubHosts);
    const locations = this.locationsOf(entity);
    const own = locations.some(location => {
      const bound = githubRepositoryOfUrl(location, this.githubHosts);
      if (bound && target) return sameRepository(bound, target);
      return href.startsWith(folderOf(location));
    });
    if (own || this.isAllowListed(href)) return;
    throw this.refusal(
      entity,
      `the URL ${href} of its ${annotation} annotation`,
      locations,
    );
  }

  /**
   * Refuses a target that only an allow glob can permit, such as a
   * Dependency-Track project, unless one of its names matches one.
   */
  checkAllowListed(
    entity: Entity,
    names: readonly string[],
    description: string,
  ): void {
    if (names.some(name => this.isAllowListed(name))) return;
    throw new NotAllowedError(
      `Refused to collect ${this.options.sourceId} for ${stringifyEntityRef(
        entity,
      )}: ${description} is not allowed; allow it (as ${names
        .map(name => `'${name}'`)
        .join(' or ')}) with a glob of securityScorecards.sources.${
        this.options.sourceId
      }.allow`,
    );
  }

  private locationsOf(entity: Entity): string[] {
    return boundLocationsOf(entity, {
      trustSourceLocation: this.options.trustSourceLocation,
    });
  }

  private refusal(
    entity: Entity,
    target: string,
    locations: string[],
  ): NotAllowedError {
    const own = locations.length
      ? `its own location (${locations.join(', ')})`
      : 'its own location (it has none the catalog read from a URL)';
    return new NotAllowedError(
      `Refused to collect ${this.options.sourceId} for ${stringifyEntityRef(
        entity,
      )}: ${target} is not in ${own} and matches no glob of securityScorecards.sources.${
        this.options.sourceId
      }.allow`,
    );
  }
}
