import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CollectorBinding,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import {
  GITHUB_ALERT_KINDS,
  GithubAlertKind,
  GithubAlertsClient,
} from './GithubAlertsClient';
import { createGithubFindingSources } from './sources';

/** What `securityScorecards.github` in app-config says. */
export interface GithubModuleSettings {
  kinds: GithubAlertKind[];
  maxAttempts: number;
  maxRateLimitWaitMs: number;
}

/** Reads `securityScorecards.github`; every key is optional. */
export function readGithubModuleSettings(config: Config): GithubModuleSettings {
  const github = config.getOptionalConfig('securityScorecards.github');
  const kinds = github?.getOptionalStringArray('kinds') ?? [
    ...GITHUB_ALERT_KINDS,
  ];
  for (const kind of kinds) {
    if (!(GITHUB_ALERT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(
        `Invalid securityScorecards.github.kinds: '${kind}' is none of ${GITHUB_ALERT_KINDS.join(
          ', ',
        )}`,
      );
    }
  }
  const maxAttempts = github?.getOptionalNumber('maxAttempts') ?? 3;
  const maxWaitSeconds =
    github?.getOptionalNumber('maxRateLimitWaitSeconds') ?? 60;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(
      'Invalid securityScorecards.github.maxAttempts: expected a whole number of at least 1',
    );
  }
  if (!(maxWaitSeconds >= 0)) {
    throw new Error(
      'Invalid securityScorecards.github.maxRateLimitWaitSeconds: expected a number of seconds, 0 or more',
    );
  }
  return {
    kinds: [...new Set(kinds as GithubAlertKind[])],
    maxAttempts,
    maxRateLimitWaitMs: maxWaitSeconds * 1000,
  };
}

/**
 * Collects GitHub Dependabot, code scanning and secret scanning alerts for
 * the entities with a `github.com/project-slug` annotation, as the finding
 * sources `github-dependabot`, `github-code-scanning` and
 * `github-secret-scanning`.
 *
 * @public
 */
export const securityScorecardsModuleGithub = createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'github',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        findingSources: securityScorecardsFindingSourcesExtensionPoint,
      },
      async init({ config, logger, findingSources }) {
        const settings = readGithubModuleSettings(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const client = new GithubAlertsClient({
          integrations,
          credentialsProvider:
            DefaultGithubCredentialsProvider.fromIntegrations(integrations),
          logger,
          maxAttempts: settings.maxAttempts,
          maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
        });
        findingSources.addFindingSource(
          ...createGithubFindingSources({
            client,
            integrations,
            kinds: settings.kinds,
            bindingOf: sourceId =>
              CollectorBinding.fromConfig(config, sourceId),
          }),
        );
      },
    });
  },
});
