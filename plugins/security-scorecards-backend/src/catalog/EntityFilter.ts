/**
 * Which of some entities a caller may see: the refs it allows, out of those
 * given. A list calls it once, with every entity it may show, so that a
 * permission policy is asked in one batched call.
 */
export type EntityFilter = (
  entityRefs: readonly string[],
) => Promise<ReadonlySet<string>>;
