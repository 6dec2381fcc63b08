export interface Config {
  securityScorecards?: {
    /**
     * The GitHub module (`@secdevops/plugin-security-scorecards-backend-module-github`).
     * GitHub hosts and credentials come from `integrations.github`.
     */
    github?: {
      /**
       * The kinds of alerts to collect, one finding source each
       * (`github-dependabot`, `github-code-scanning`, `github-secret-scanning`).
       * Default: all three.
       */
      kinds?: Array<'dependabot' | 'code-scanning' | 'secret-scanning'>;
      /**
       * Requests per URL, the first included, when GitHub answers with a
       * rate limit or a 5xx. Default 3.
       */
      maxAttempts?: number;
      /**
       * The longest wait, in seconds, for a rate limit to reset before
       * retrying. A limit that resets later fails the collection at once; it
       * runs again on its schedule. Default 60.
       */
      maxRateLimitWaitSeconds?: number;
    };
    /**
     * Each source reads only the repository the catalog read an entity from
     * (`backstage.io/managed-by-location`), unless its `allow` globs match
     * the `owner/repo` of the entity's `github.com/project-slug`.
     */
    sources?: {
      'github-dependabot'?: {
        /**
         * `owner/repo` globs any entity may collect, e.g. `acme/*`.
         * @visibility backend
         */
        allow?: string[];
      };
      'github-code-scanning'?: {
        /**
         * `owner/repo` globs any entity may collect, e.g. `acme/*`.
         * @visibility backend
         */
        allow?: string[];
      };
      'github-secret-scanning'?: {
        /**
         * `owner/repo` globs any entity may collect, e.g. `acme/*`.
         * @visibility backend
         */
        allow?: string[];
      };
    };
  };
}
