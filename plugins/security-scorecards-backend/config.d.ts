export interface Config {
  /** Configuration of the security scorecards plugins. */
  securityScorecards?: {
    /** How scan reports are received. */
    ingest?: {
      /**
       * The largest report accepted, in bytes, before and after gzip
       * decompression. Larger uploads are answered with HTTP 413.
       * Default: 100 MB (104857600).
       */
      maxBodyBytes?: number;
      /**
       * How many uploads (`POST /scans`) are read at once; each holds its
       * report in memory. More are answered with HTTP 503 and `Retry-After`,
       * which the CLI honours. Default: 2.
       */
      maxConcurrentUploads?: number;
    };
    /**
     * Days to fix an open finding, counted from when it was first seen.
     * `false` means no SLA for that severity.
     */
    sla?: {
      /** Default 7. */
      critical?: number | false;
      /** Default 30. */
      high?: number | false;
      /** Default 90. */
      medium?: number | false;
      /** Default 180. */
      low?: number | false;
      /** Default: no SLA. */
      info?: number | false;
      /** Known-exploited findings run on the critical clock. Default true. */
      knownExploitedAsCritical?: boolean;
      /** A finding is "due soon" this many days before its due date. Default 7. */
      dueSoonDays?: number;
    };
    /** Waivers (risk acceptances) of findings. */
    waivers?: {
      /**
       * The furthest a waiver may expire, in days from its request. Default 90.
       * @visibility frontend
       */
      maxDays?: number;
      /**
       * true: a waiver is pending until someone other than its requester,
       * with security-scorecards.waiver.approve on the entity, approves it.
       * Default false: a waiver is active as soon as it is requested.
       * @visibility frontend
       */
      requireApproval?: boolean;
    };
    /** Which entities get scorecards. */
    scorecards?: {
      /** Entity kinds that are graded and rolled up. Default: [Component]. */
      kinds?: string[];
    };
    /**
     * The maturity rubric. Without it the built-in rubric (levels L1 to L4
     * of Baseline, Managed, Defined, Optimizing) applies.
     */
    rubric?: {
      /** true: only the levels and checks below; false (default): change and extend the built-in ones. */
      replaceDefault?: boolean;
      /** The level a group's "share at target" counts. Default 2. */
      targetLevel?: number;
      /** Levels to add or rename, by rank. */
      levels?: Array<{ rank: number; name: string; description?: string }>;
      /**
       * Checks to add, change (same id as a built-in check: only the given
       * fields change) or remove (`enabled: false`).
       */
      checks?: Array<{
        id: string;
        enabled?: boolean;
        level?: number;
        title?: string;
        description?: string;
        guidance?: string;
        /** A check type: has-owner, scan-freshness, sbom-present, open-findings, past-sla, annotation, mttr, score-trend, gate-enforced, or one a module adds. */
        type?: string;
        weight?: number;
        practice?: string;
        dsomm?: { activity: string; url?: string };
        /** Parameters of the check type. */
        params?: { [key: string]: unknown };
      }>;
    };
    /**
     * Escalation of SLA breaches up the catalog's group hierarchy: level 1 at
     * the breach to the owner group, level n after (n - 1) intervals to the
     * owner group's (n - 1)th ancestor.
     */
    escalation?: {
      /** Days between two levels. Default 7. */
      intervalDays?: number;
      /** The highest level, 1 or more. Default: the top of the group tree. */
      maxLevel?: number;
      /**
       * The group (entity ref, e.g. group:default/security) that answers for
       * entities without an owner group; without it they are not escalated.
       */
      fallbackGroup?: string;
      /** Schedule of the escalation run (a Backstage scheduler definition). Default: every 15 minutes. */
      schedule?: { [key: string]: unknown };
    };
    /** Pull collectors (finding sources): the built-in `url` source and those modules add. */
    sources?: {
      /** Entities collected at the same time per source. Default 4. */
      concurrency?: number;
      /** Longest run of a source for one entity, in seconds. Default 300. */
      timeoutSeconds?: number;
      /**
       * Whether an entity's `backstage.io/source-location` also binds its
       * collectors, besides the location the catalog read it from
       * (`backstage.io/managed-by-location`). The entity's author writes the
       * source location, so only set this when every catalog-info file is
       * reviewed by the owners of the repositories it names. Default false.
       * @visibility backend
       */
      trustSourceLocation?: boolean;
      /**
       * Per source id, e.g. `url`, `github-secret-scanning`, `dependency-track`.
       * The source id of the built-in report-URL source is `url`.
       */
      [sourceId: string]:
        | {
            /** A Backstage scheduler definition of the source's runs. */
            schedule?: { [key: string]: unknown };
            /**
             * Globs (minimatch, case-insensitive) of what any entity may
             * make the source read with the backend's credentials, besides
             * its own location: `owner/repo` slugs for the GitHub sources,
             * URLs for `url` (e.g. `https://ci.example.com/artifacts/**`),
             * project names or `uuid:<project UUID>` for `dependency-track`.
             * Anything else is refused and the reason recorded on the run.
             * @visibility backend
             */
            allow?: string[];
          }
        | number
        | boolean
        | undefined;
    };
    /** Days the data of an entity is kept after it left the catalog. Default 30. */
    retentionDays?: number;
    /** Schedules of the background tasks (Backstage scheduler definitions). */
    schedule?: {
      /** Re-reading owners, groups and annotations from the catalog. Default: every 30 minutes. */
      catalogRefresh?: { [key: string]: unknown };
      /** Re-evaluating every entity and writing the day's history. Default: every 24 hours. */
      evaluation?: { [key: string]: unknown };
    };
  };
}
