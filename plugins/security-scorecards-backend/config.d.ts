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
    };
  };
}
