import { CachedGroup } from './CatalogEntityCache';

/**
 * The catalog's group hierarchy (`spec.parent`), for subtree rollups and
 * escalation chains. Cycles and parents that are not in the catalog end a
 * chain rather than loop.
 */
export class GroupTree {
  private readonly groups = new Map<string, CachedGroup>();
  private readonly children = new Map<string, string[]>();

  constructor(groups: CachedGroup[]) {
    for (const group of groups) this.groups.set(group.entityRef, group);
    for (const group of groups) {
      const parent = group.parentRef;
      if (parent && this.groups.has(parent) && parent !== group.entityRef) {
        const siblings = this.children.get(parent) ?? [];
        siblings.push(group.entityRef);
        this.children.set(parent, siblings);
      }
    }
    for (const siblings of this.children.values()) siblings.sort();
  }

  has(groupRef: string): boolean {
    return this.groups.has(groupRef);
  }

  get(groupRef: string): CachedGroup | undefined {
    return this.groups.get(groupRef);
  }

  childrenOf(groupRef: string): string[] {
    return this.children.get(groupRef) ?? [];
  }

  /** Groups without a parent in the catalog. */
  roots(): string[] {
    return [...this.groups.values()]
      .filter(group => !group.parentRef || !this.groups.has(group.parentRef))
      .map(group => group.entityRef)
      .sort();
  }

  /** The group and its ancestors, nearest first. */
  chainOf(groupRef: string): string[] {
    const chain: string[] = [];
    const seen = new Set<string>();
    let current: string | undefined = groupRef;
    while (current && !seen.has(current)) {
      chain.push(current);
      seen.add(current);
      const parent: string | undefined = this.groups.get(current)?.parentRef;
      current = parent && this.groups.has(parent) ? parent : undefined;
    }
    return chain;
  }

  /**
   * Every group of the subtree under `groupRef` (itself included), mapped to
   * the direct child of `groupRef` it belongs under, or to `groupRef` itself.
   */
  subtreeBuckets(groupRef: string): Map<string, string> {
    const buckets = new Map<string, string>([[groupRef, groupRef]]);
    for (const child of this.childrenOf(groupRef)) {
      const stack = [child];
      while (stack.length > 0) {
        const current = stack.pop()!;
        if (buckets.has(current)) continue;
        buckets.set(current, child);
        stack.push(...this.childrenOf(current));
      }
    }
    return buckets;
  }

  /** Every group mapped to the root of its tree. */
  rootBuckets(): Map<string, string> {
    const buckets = new Map<string, string>();
    for (const groupRef of this.groups.keys()) {
      const chain = this.chainOf(groupRef);
      buckets.set(groupRef, chain[chain.length - 1]);
    }
    return buckets;
  }
}
