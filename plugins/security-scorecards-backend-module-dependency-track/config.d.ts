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
  };
}
