export interface Config {
  securityScorecards?: {
    /**
     * The Dependency-Track finding source
     * (`@secdevops/plugin-security-scorecards-backend-module-dependency-track`).
     * Its schedule is `securityScorecards.sources.dependency-track.schedule`.
     */
    dependencyTrack?: {
      /**
       * The URL of the Dependency-Track API server, e.g.
       * `https://dtrack-api.example.com` (the requests go to `<baseUrl>/api/v1/...`).
       */
      baseUrl: string;
      /**
       * An API key of a Dependency-Track team with the permissions
       * VIEW_PORTFOLIO and VIEW_VULNERABILITY.
       * @visibility secret
       */
      apiKey: string;
    };
    sources?: {
      'dependency-track'?: {
        /**
         * Globs of the Dependency-Track projects entities may collect: a
         * project name (`dependencytrack/project-name`), or
         * `uuid:<project UUID>` (`dependencytrack/project-id`). Dependency-Track
         * cannot prove which entity a project belongs to, so without globs
         * nothing is collected; an entity naming any other project is refused
         * with the reason recorded on the run.
         * @visibility backend
         */
        allow?: string[];
      };
    };
  };
}
