import { InputError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { BoundsBuilder, LazyList } from './lazyList';

/**
 * An array of a JSON report that is kept as the bytes it was sent as. Its
 * elements are parsed each time they are read, so that a report of a hundred
 * thousand results never becomes a hundred thousand objects at once.
 *
 * @public
 */
export class LazyJsonArray extends LazyList<unknown> {
  /** @internal */
  constructor(options: {
    bytes: Buffer;
    bounds: Uint32Array;
    label: string;
    place: string;
  }) {
    super(options.bytes, options.bounds, (text, index, start) => {
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InputError(
          `Invalid ${options.label}: malformed JSON at ${
            options.place
          }[${index}] (byte ${start}): ${(error as Error).message}`,
        );
      }
    });
  }
}

/**
 * Where arrays are read lazily, as property paths from the top of the
 * document: `['runs', '*', 'results']` is the `results` of every run; `[]`
 * is a top-level array. `*` stands for every element of an array.
 */
export type LazyJsonPath = readonly string[];

/**
 * How to read a JSON report with {@link readJsonLazily}.
 */
export interface ReadJsonOptions {
  /** The arrays to keep as bytes. */
  lazyPaths: readonly LazyJsonPath[];
  /** The deepest nesting of objects and arrays accepted. */
  maxDepth: number;
  /** What the error messages call the document, e.g. `sarif report`. */
  label: string;
}

/** The result of {@link readJsonLazily}. */
export interface LazyJsonDocument {
  /** The document, with a {@link LazyJsonArray} for each array at a lazy path. */
  document: unknown;
  /** Whether any array was left lazy. */
  hasLazyArrays: boolean;
}

interface PathNode {
  children: Map<string, PathNode>;
  lazy: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const ANY = '*';

/** A structural problem the scanner found; JSON.parse names it better. */
class MalformedJson extends Error {}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function pathTree(paths: readonly LazyJsonPath[]): PathNode {
  const root: PathNode = { children: new Map(), lazy: false };
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      let child = node.children.get(key);
      if (!child) {
        child = { children: new Map(), lazy: false };
        node.children.set(key, child);
      }
      node = child;
    }
    node.lazy = true;
  }
  return root;
}

/**
 * One pass over the bytes of a JSON document. It follows the lazy paths,
 * records where each element of a lazy array starts and ends, checks the
 * nesting depth everywhere, and copies everything else into a skeleton: the
 * document with each lazy array replaced by a placeholder string.
 */
class Scanner {
  private position: number;
  private copiedUpTo: number;
  private readonly skeleton: string[] = [];
  readonly lazyArrays: LazyJsonArray[] = [];
  readonly placeholder = `\u0000lazy-array:${randomBytes(8).toString('hex')}:`;

  constructor(
    private readonly bytes: Buffer,
    start: number,
    private readonly options: ReadJsonOptions,
  ) {
    this.position = start;
    this.copiedUpTo = start;
  }

  scan(root: PathNode): string {
    this.value(root, 0, '');
    this.skipWhitespace();
    if (this.position < this.bytes.length) {
      throw new MalformedJson('data after the JSON value');
    }
    if (this.lazyArrays.length === 0) return '';
    this.skeleton.push(
      this.bytes.toString('utf8', this.copiedUpTo, this.bytes.length),
    );
    return this.skeleton.join('');
  }

  private skipWhitespace(): void {
    const bytes = this.bytes;
    while (this.position < bytes.length && isWhitespace(bytes[this.position])) {
      this.position++;
    }
  }

  private tooDeep(): never {
    throw new InputError(
      `Invalid ${this.options.label}: JSON nested deeper than ${this.options.maxDepth} levels at byte ${this.position}`,
    );
  }

  /** A value whose enclosing containers number `depth`; `node` is its path, if it is on one. */
  private value(node: PathNode | undefined, depth: number, place: string) {
    this.skipWhitespace();
    const code = this.bytes[this.position];
    if (node && code === OPEN_BRACKET) {
      if (node.lazy) this.lazyArray(depth + 1, place);
      else this.array(node, depth + 1, place);
    } else if (node && node.children.size > 0 && code === OPEN_BRACE) {
      this.object(node, depth + 1, place);
    } else {
      this.skipValue(depth);
    }
  }

  private object(node: PathNode, depth: number, place: string) {
    if (depth > this.options.maxDepth) this.tooDeep();
    const bytes = this.bytes;
    this.position++;
    this.skipWhitespace();
    if (bytes[this.position] === CLOSE_BRACE) {
      this.position++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (bytes[this.position] !== QUOTE) throw new MalformedJson('a key');
      const keyStart = this.position;
      this.skipString();
      const key = this.keyOf(keyStart, this.position);
      this.skipWhitespace();
      if (bytes[this.position] !== COLON) throw new MalformedJson('a colon');
      this.position++;
      // `*` in a path means any array element, never an object key.
      const child = key === ANY ? undefined : node.children.get(key);
      this.value(
        child,
        depth,
        child ? `${place ? `${place}.` : ''}${key}` : '',
      );
      this.skipWhitespace();
      const next = bytes[this.position++];
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) throw new MalformedJson('a comma or a brace');
    }
  }

  private keyOf(start: number, end: number): string {
    const raw = this.bytes.toString('utf8', start + 1, end - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`);
    } catch {
      throw new MalformedJson('a key');
    }
  }

  private array(node: PathNode, depth: number, place: string) {
    if (depth > this.options.maxDepth) this.tooDeep();
    const bytes = this.bytes;
    const child = node.children.get(ANY);
    this.position++;
    this.skipWhitespace();
    if (bytes[this.position] === CLOSE_BRACKET) {
      this.position++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(child, depth, child ? `${place}[${index}]` : '');
      this.skipWhitespace();
      const next = bytes[this.position++];
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) throw new MalformedJson('a comma or a bracket');
    }
  }

  private lazyArray(depth: number, place: string) {
    if (depth > this.options.maxDepth) this.tooDeep();
    const bytes = this.bytes;
    const arrayStart = this.position;
    const bounds = new BoundsBuilder();
    this.position++;
    this.skipWhitespace();
    if (bytes[this.position] === CLOSE_BRACKET) {
      this.position++;
    } else {
      for (;;) {
        this.skipWhitespace();
        const start = this.position;
        this.skipValue(depth);
        const end = this.position;
        if (end === start) throw new MalformedJson('an array element');
        bounds.push(start, end);
        this.skipWhitespace();
        const next = bytes[this.position++];
        if (next === CLOSE_BRACKET) break;
        if (next !== COMMA) throw new MalformedJson('a comma or a bracket');
      }
    }
    this.skeleton.push(
      this.bytes.toString('utf8', this.copiedUpTo, arrayStart),
      JSON.stringify(`${this.placeholder}${this.lazyArrays.length}`),
    );
    this.copiedUpTo = this.position;
    this.lazyArrays.push(
      new LazyJsonArray({
        bytes,
        bounds: bounds.finish(),
        label: this.options.label,
        place: place || 'the top level',
      }),
    );
  }

  /**
   * Moves past one value without looking inside it: to the comma, bracket or
   * brace that ends it, at its own level. Checks the nesting depth only; the
   * JSON parser checks the rest when the value is read.
   */
  private skipValue(depth: number) {
    const bytes = this.bytes;
    const length = bytes.length;
    const maxDepth = this.options.maxDepth;
    let nesting = 0;
    let position = this.position;
    while (position < length) {
      const code = bytes[position];
      if (code === QUOTE) {
        this.position = position;
        this.skipString();
        position = this.position;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        nesting++;
        if (depth + nesting > maxDepth) {
          this.position = position;
          this.tooDeep();
        }
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        if (nesting === 0) break;
        nesting--;
        if (nesting === 0) {
          position++;
          break;
        }
      } else if (code === COMMA && nesting === 0) {
        break;
      }
      position++;
    }
    if (nesting > 0) throw new MalformedJson('the end of a value');
    // A primitive ends at whitespace too.
    let end = position;
    while (end > this.position && isWhitespace(bytes[end - 1])) end--;
    this.position = end;
  }

  /** From an opening quote to just after the closing one. */
  private skipString() {
    const bytes = this.bytes;
    let from = this.position + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0) throw new MalformedJson('the end of a string');
      let backslash = quote - 1;
      while (bytes[backslash] === BACKSLASH) backslash--;
      if ((quote - 1 - backslash) % 2 === 0) {
        this.position = quote + 1;
        return;
      }
      from = quote + 1;
    }
  }
}

/** Puts the lazy arrays in place of their placeholders, along the lazy paths. */
function attach(value: unknown, node: PathNode, scanner: Scanner): unknown {
  if (node.lazy && typeof value === 'string') {
    if (!value.startsWith(scanner.placeholder)) return value;
    return scanner.lazyArrays[Number(value.slice(scanner.placeholder.length))];
  }
  if (Array.isArray(value)) {
    const child = node.children.get(ANY);
    if (child) {
      for (let index = 0; index < value.length; index++) {
        value[index] = attach(value[index], child, scanner);
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const [key, child] of node.children) {
      if (key !== ANY && Object.hasOwn(object, key)) {
        object[key] = attach(object[key], child, scanner);
      }
    }
  }
  return value;
}

/**
 * Parses a JSON document from its UTF-8 bytes, keeping the arrays at the
 * lazy paths as {@link LazyJsonArray}s over the same bytes. Everything else
 * is parsed as `JSON.parse` would. Rejects nesting deeper than the limit
 * before parsing anything.
 *
 * Throws an `InputError` naming the label for malformed JSON; an error in an
 * element of a lazy array surfaces when that element is read, naming its place.
 */
export function readJsonLazily(
  bytes: Buffer,
  options: ReadJsonOptions,
): LazyJsonDocument {
  // A byte order mark is valid in files but not in JSON.
  const start =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const scanner = new Scanner(bytes, start, options);
  let skeleton: string;
  try {
    skeleton = scanner.scan(pathTree(options.lazyPaths));
  } catch (error) {
    if (!(error instanceof MalformedJson)) throw error;
    // JSON.parse names the problem and its position in the whole document.
    return {
      document: parseWhole(bytes, start, options),
      hasLazyArrays: false,
    };
  }
  if (scanner.lazyArrays.length === 0) {
    return {
      document: parseWhole(bytes, start, options),
      hasLazyArrays: false,
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(skeleton);
  } catch {
    return {
      document: parseWhole(bytes, start, options),
      hasLazyArrays: false,
    };
  }
  return {
    document: attach(document, pathTree(options.lazyPaths), scanner),
    hasLazyArrays: true,
  };
}

function parseWhole(
  bytes: Buffer,
  start: number,
  options: ReadJsonOptions,
): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start));
  } catch (error) {
    throw new InputError(
      `Invalid ${options.label}: malformed JSON: ${(error as Error).message}`,
    );
  }
}
