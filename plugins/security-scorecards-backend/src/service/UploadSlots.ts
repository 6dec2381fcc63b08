/**
 * The uploads the backend reads at once. Each upload holds its body, and its
 * decompressed report, in memory until it is stored; the limit bounds how
 * many of those there are, instead of queueing callers that would each add
 * one more.
 *
 * @internal
 */
export class UploadSlots {
  private taken = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(
        `securityScorecards.ingest.maxConcurrentUploads must be a whole number, 1 or more; got ${limit}`,
      );
    }
  }

  /**
   * Takes a slot and returns the function that gives it back (calling it
   * again does nothing), or undefined when every slot is taken.
   */
  tryTake(): (() => void) | undefined {
    if (this.taken >= this.limit) return undefined;
    this.taken += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.taken -= 1;
    };
  }

  /** Slots taken now. */
  get inUse(): number {
    return this.taken;
  }
}
