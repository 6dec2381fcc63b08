/**
 * A list of JSON values that can be read one at a time: a plain array, or a
 * {@link LazyList} whose elements are parsed only when asked for. Parsers read
 * report lists through this shape, so that the same code reads a parsed
 * document and a report read lazily.
 *
 * @public
 */
export interface JsonList extends Iterable<unknown> {
  readonly length: number;
  at(index: number): unknown;
}

/** Start and end offsets in pairs, in a typed array that grows by doubling. */
export class BoundsBuilder {
  #data = new Uint32Array(64);
  #length = 0;

  push(start: number, end: number): void {
    if (this.#length + 2 > this.#data.length) {
      const grown = new Uint32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = start;
    this.#data[this.#length++] = end;
  }

  finish(): Uint32Array {
    return this.#data.slice(0, this.#length);
  }
}

/** The text between two offsets of a source: characters of a string, bytes of a Buffer. */
export function sourceText(
  source: string | Buffer,
  start: number,
  end: number,
): string {
  return typeof source === 'string'
    ? source.slice(start, end)
    : source.toString('utf8', start, end);
}

/**
 * A list of a report kept as the text (or bytes) it was sent as: each
 * element is read, by a function that parses and maps its text, each time it
 * is asked for, so that a report of a hundred thousand results never becomes
 * a hundred thousand objects at once. JSON arrays and XML lists are both
 * read this way.
 *
 * @public
 */
export class LazyList<T = unknown> implements JsonList {
  readonly #source: string | Buffer;
  /** Start and end offsets of each element, in pairs. */
  readonly #bounds: Uint32Array;
  readonly #read: (text: string, index: number, start: number) => T;

  /** @internal */
  constructor(
    source: string | Buffer,
    bounds: Uint32Array,
    read: (text: string, index: number, start: number) => T,
  ) {
    this.#source = source;
    this.#bounds = bounds;
    this.#read = read;
  }

  get length(): number {
    return this.#bounds.length / 2;
  }

  /** Reads the element at an index; undefined past the end, as for arrays. */
  at(index: number): T | undefined {
    // As Array.prototype.at: a fraction is truncated, NaN is 0.
    const relative = Math.trunc(index) || 0;
    const position = relative < 0 ? this.length + relative : relative;
    if (position < 0 || position >= this.length) return undefined;
    const start = this.#bounds[position * 2];
    const end = this.#bounds[position * 2 + 1];
    return this.#read(sourceText(this.#source, start, end), position, start);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.length; index++) yield this.at(index)!;
  }

  /** The elements as a plain array. */
  toArray(): T[] {
    return [...this];
  }
}

/** Tells whether a value is a list: a plain array or a {@link LazyList}. */
export function isJsonList(value: unknown): value is JsonList {
  return Array.isArray(value) || value instanceof LazyList;
}
