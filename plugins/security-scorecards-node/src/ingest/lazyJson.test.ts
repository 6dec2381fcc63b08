import { InputError } from '@backstage/errors';
import { LazyJsonArray, LazyJsonPath, readJsonLazily } from './lazyJson';
import { isJsonList } from './lazyList';

const RESULTS_PATHS: LazyJsonPath[] = [['runs', '*', 'results']];

function read(
  text: string | Buffer,
  lazyPaths: readonly LazyJsonPath[] = RESULTS_PATHS,
  maxDepth = 64,
) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readJsonLazily(bytes, { lazyPaths, maxDepth, label: 'test report' });
}

/** The document with every lazy array replaced by its elements. */
function materialize(value: unknown): unknown {
  if (value instanceof LazyJsonArray) return value.toArray().map(materialize);
  if (Array.isArray(value)) return value.map(materialize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, materialize(item)]),
    );
  }
  return value;
}

/** Every lazy array of a document, in document order. */
function lazyArraysOf(value: unknown): LazyJsonArray[] {
  if (value instanceof LazyJsonArray) return [value];
  if (Array.isArray(value)) return value.flatMap(lazyArraysOf);
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap(lazyArraysOf);
  }
  return [];
}

/** Whether a string of the placeholder kind leaked into the document. */
function hasControlStrings(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000lazy-array');
  if (value instanceof LazyJsonArray) return false;
  if (Array.isArray(value)) return value.some(hasControlStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).some(hasControlStrings);
  }
  return false;
}

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('readJsonLazily', () => {
  describe('reads documents as JSON.parse does', () => {
    const documents: Array<[string, string, LazyJsonPath[], number[]]> = [
      [
        'a SARIF-like log',
        JSON.stringify({
          version: '2.1.0',
          runs: [
            {
              tool: { driver: { name: 'x', rules: [{ id: 'r1' }] } },
              results: [
                { ruleId: 'r1', message: { text: 'one' } },
                { ruleId: 'r1', locations: [{ a: [1, [2, [3]]] }] },
                [1, 2, 3],
                'a string',
                42,
                null,
                true,
                false,
              ],
            },
          ],
        }),
        RESULTS_PATHS,
        [8],
      ],
      [
        'strings with brackets, commas, quotes and backslashes',
        String.raw`{"runs":[{"results":["]", "[", "}", "{", ",", ":", "a\"b", "\"", "a\\", "\\\\", "\\\"]", {"k]":"v,}"}, "x\\", "\\"]}]}`,
        RESULTS_PATHS,
        [14],
      ],
      [
        'unicode, multi-byte UTF-8 and escapes',
        String.raw`{"runs":[{"results":["é", "\u00e9", "日本語", "😀", "\ud83d\ude00", {"ключ":"значение"}, "\n\t\r\b\f\/"], "név":"ő"}]}`,
        RESULTS_PATHS,
        [7],
      ],
      [
        'numbers, booleans and null',
        '{"runs":[{"results":[0,-0,1.5,-2e10,3E-5,1e+2,123456789012345678901234567890,true,false,null]}]}',
        RESULTS_PATHS,
        [10],
      ],
      [
        'whitespace and newlines everywhere',
        ' \r\n\t{ \n "runs" \n : \t [ \r\n { "results" \n:\n [ \n 1 \n , \t{ "a" : [ 1 , 2 ] } \r\n, "s" , \n [ ] , { } \n ] \n , "tool" : { } } \n ] \n } \n\t ',
        RESULTS_PATHS,
        [5],
      ],
      [
        'several runs, the path under *',
        '{"runs":[{"results":[{"a":1},{"a":2}]},{"results":[{"b":3}]},{"other":[1]},{"results":[]}]}',
        RESULTS_PATHS,
        [2, 1, 0],
      ],
      [
        'a key with an escape matching the path',
        String.raw`{"runs":[{"res\u0075lts":[1,2,3]}],"r\u0075n":null}`,
        RESULTS_PATHS,
        [3],
      ],
      [
        'keys with escapes on the path',
        String.raw`{"r\u0075ns":[{"res\u0075lts":[1,2,3]}]}`,
        RESULTS_PATHS,
        [3],
      ],
      ['a top-level array', '[ {"a":1}, [2], "three", 4, null ]', [[]], [5]],
      [
        'several lazy paths',
        '{"components":[{"name":"a"}],"vulnerabilities":[{"id":"v"},{"id":"w"}],"dependencies":[],"metadata":{"components":[1]}}',
        [['components'], ['vulnerabilities'], ['dependencies']],
        [1, 2, 0],
      ],
      [
        'nested objects and arrays elsewhere',
        '{"a":{"b":{"c":[[[{"d":[]}]]]}},"runs":[{"results":[{"x":{"y":{"z":[{}]}}}],"more":{"results":[1]}}]}',
        RESULTS_PATHS,
        [1],
      ],
    ];

    it.each(documents)('%s', (_name, text, lazyPaths, lengths) => {
      const { document, hasLazyArrays } = read(text, lazyPaths);

      expect(materialize(document)).toEqual(JSON.parse(text));
      expect(hasControlStrings(document)).toBe(false);
      const lazy = lazyArraysOf(document);
      expect(lazy.map(array => array.length)).toEqual(lengths);
      expect(hasLazyArrays).toBe(lengths.length > 0);
      for (const array of lazy) {
        expect(array).toBeInstanceOf(LazyJsonArray);
        expect(isJsonList(array)).toBe(true);
        expect([...array]).toEqual([...array]);
        expect(array.toArray()).toEqual([...array]);
      }
    });

    it('reads a document with a byte order mark', () => {
      const text = '{"runs":[{"results":[{"a":"é"},2]}]}';
      const bytes = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(text, 'utf8'),
      ]);

      const { document, hasLazyArrays } = read(bytes);

      expect(hasLazyArrays).toBe(true);
      expect(materialize(document)).toEqual(JSON.parse(text));
      expect(read(bytes, []).document).toEqual(JSON.parse(text));
    });

    it('reads a large lazy array (beyond the initial bounds buffer)', () => {
      const results = Array.from({ length: 5000 }, (_, index) => ({
        index,
        text: `r${index},]"`,
      }));
      const text = JSON.stringify({ runs: [{ results }] });

      const { document } = read(text);
      const lazy = (document as any).runs[0].results as LazyJsonArray;

      expect(lazy.length).toBe(5000);
      expect(lazy.at(4999)).toEqual(results[4999]);
      expect(lazy.toArray()).toEqual(results);
    });
  });

  describe('LazyJsonArray', () => {
    const text = '{"runs":[{"results":[{"a":1},"two",3,null]}]}';
    const lazyOf = () =>
      (read(text).document as any).runs[0].results as LazyJsonArray;
    const plain = JSON.parse(text).runs[0].results as unknown[];

    it('answers at() like an array', () => {
      const lazy = lazyOf();

      for (const index of [0, 1, 2, 3, -1, -2, -4, -5, 4, 100, -100]) {
        expect(lazy.at(index)).toEqual(plain.at(index));
      }
      expect(lazy.at(-1)).toBeNull();
      expect(lazy.at(-2)).toBe(3);
      expect(lazy.at(4)).toBeUndefined();
      expect(lazy.at(-5)).toBeUndefined();
    });

    it('parses a fresh element on every read', () => {
      const lazy = lazyOf();
      const first = lazy.at(0) as { a: number };
      first.a = 99;

      expect(lazy.at(0)).toEqual({ a: 1 });
    });

    it('can be iterated more than once', () => {
      const lazy = lazyOf();

      expect([...lazy]).toEqual(plain);
      expect([...lazy]).toEqual(plain);
      expect(lazy.toArray()).toEqual(plain);
      expect(lazy.length).toBe(4);
    });
  });

  describe('paths that do not match an array', () => {
    it.each([
      ['an object', '{"runs":[{"results":{"a":[1,2]}}]}'],
      ['a string', '{"runs":[{"results":"[1,2]"}]}'],
      ['null', '{"runs":[{"results":null}]}'],
      ['a number', '{"runs":[{"results":7}]}'],
      ['runs as an object', '{"runs":{"results":[1,2]}}'],
      ['runs as a string', '{"runs":"x"}'],
      ['no runs', '{"other":[{"results":[1]}]}'],
      ['a top-level primitive', '"runs"'],
      ['a top-level array', '[{"results":[1]}]'],
    ])('leaves %s as JSON.parse gives it', (_name, text) => {
      const { document, hasLazyArrays } = read(text);

      expect(hasLazyArrays).toBe(false);
      expect(document).toEqual(JSON.parse(text));
      expect(lazyArraysOf(document)).toEqual([]);
    });

    it('leaves a non-array next to a lazy array as JSON.parse gives it', () => {
      const text =
        '{"runs":[{"results":{"a":[1]}},{"results":[1,2]},{"results":null},{"results":"s"}]}';

      const { document, hasLazyArrays } = read(text);

      expect(hasLazyArrays).toBe(true);
      const runs = (document as any).runs;
      expect(runs[0].results).toEqual({ a: [1] });
      expect(runs[1].results).toBeInstanceOf(LazyJsonArray);
      expect(runs[1].results.toArray()).toEqual([1, 2]);
      expect(runs[2].results).toBeNull();
      expect(runs[3].results).toBe('s');
    });

    it('treats an object key "*" as a key, not as every element', () => {
      const text = '{"runs":{"*":{"results":[1,2]}}}';

      const { document } = read(text);

      expect(hasControlStrings(document)).toBe(false);
      expect(materialize(document)).toEqual(JSON.parse(text));
    });

    it('reads an empty lazy array', () => {
      const { document, hasLazyArrays } = read('{"runs":[{"results":[ ]}]}');
      const lazy = (document as any).runs[0].results as LazyJsonArray;

      expect(hasLazyArrays).toBe(true);
      expect(lazy).toBeInstanceOf(LazyJsonArray);
      expect(lazy.length).toBe(0);
      expect(lazy.at(0)).toBeUndefined();
      expect(lazy.at(-1)).toBeUndefined();
      expect([...lazy]).toEqual([]);
    });

    it('reads an empty top-level lazy array', () => {
      const { document, hasLazyArrays } = read('[]', [[]]);

      expect(hasLazyArrays).toBe(true);
      expect(document).toBeInstanceOf(LazyJsonArray);
      expect((document as LazyJsonArray).toArray()).toEqual([]);
    });

    it('reads without lazy paths as JSON.parse does', () => {
      const text = '{"runs":[{"results":[1,2]}]}';

      expect(read(text, [])).toEqual({
        document: JSON.parse(text),
        hasLazyArrays: false,
      });
    });
  });

  describe('duplicate keys', () => {
    it.each([
      ['two lazy arrays', '{"runs":[{"results":[1,2],"results":[3]}]}'],
      ['an array then a string', '{"runs":[{"results":[1,2],"results":"s"}]}'],
      ['a string then an array', '{"runs":[{"results":"s","results":[3]}]}'],
      [
        'two runs lists',
        '{"runs":[{"results":[1]}],"runs":[{"results":[2]},{"results":[3,4]}]}',
      ],
    ])('keeps the last one, like JSON.parse: %s', (_name, text) => {
      const { document } = read(text);

      expect(hasControlStrings(document)).toBe(false);
      expect(materialize(document)).toEqual(JSON.parse(text));
    });
  });

  describe('nesting depth', () => {
    it('accepts nesting up to the limit', () => {
      // The lazy array is level 4, its elements' arrays level 5.
      const text = '{"runs":[{"results":[[1],[2]]}]}';

      expect(materialize(read(text, RESULTS_PATHS, 5).document)).toEqual(
        JSON.parse(text),
      );
      expect(read('[[[1]]]', [], 3).document).toEqual([[[1]]]);
      expect(materialize(read('[[[1]]]', [[]], 3).document)).toEqual([[[1]]]);
    });

    it('rejects nesting inside a lazy element, naming the byte', () => {
      const text = '{"runs":[{"results":[[1],[[2]]]}]}';
      const byte = text.indexOf('[[2');

      const error = errorOf(() => read(text, RESULTS_PATHS, 5));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Invalid test report: JSON nested deeper than 5 levels at byte ${
          byte + 1
        }`,
      );
    });

    it('rejects nesting outside the lazy arrays, naming the byte', () => {
      const text =
        '{"runs":[{"results":[1]}],"deep":{"a":{"b":{"c":{"d":1}}}}}';
      const byte = text.indexOf('{"d"');

      const error = errorOf(() => read(text, RESULTS_PATHS, 4));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Invalid test report: JSON nested deeper than 4 levels at byte ${byte}`,
      );
    });

    it('rejects nesting along the path itself', () => {
      const text = '{"runs":[{"results":[1]}]}';

      const error = errorOf(() => read(text, RESULTS_PATHS, 2));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Invalid test report: JSON nested deeper than 2 levels at byte ${text.indexOf(
          '{"results"',
        )}`,
      );
    });

    it('rejects a deep top-level array without lazy paths', () => {
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

      for (const paths of [[], [[]], RESULTS_PATHS]) {
        const error = errorOf(() => read(deep, paths, 64));
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toBe(
          'Invalid test report: JSON nested deeper than 64 levels at byte 64',
        );
      }
    });

    it('counts bytes, not characters, after multi-byte text', () => {
      const text = '{"é日":"😀","runs":[{"results":[[[1]]]}]}';
      const byte = Buffer.from(text, 'utf8').indexOf('[[1');

      expect(errorOf(() => read(text, RESULTS_PATHS, 5)).message).toBe(
        `Invalid test report: JSON nested deeper than 5 levels at byte ${
          byte + 1
        }`,
      );
    });

    it('does not count brackets in strings', () => {
      const text = `{"runs":[{"results":["${'[{'.repeat(
        50,
      )}"],"s":"${'['.repeat(50)}"}]}`;

      expect(materialize(read(text, RESULTS_PATHS, 4).document)).toEqual(
        JSON.parse(text),
      );
    });
  });

  describe('malformed JSON', () => {
    it.each([
      ['empty input', ''],
      ['only whitespace', ' \n '],
      ['only a byte order mark', '\ufeff'],
      ['a truncated document', '{"runs":[{"results":[1,2'],
      ['a truncated element', '{"runs":[{"results":[{"a":1'],
      ['a truncated key', '{"runs":[{"res'],
      ['a truncated string', '{"runs":[{"results":["abc'],
      ['an unterminated string', '{"runs":[{"results":[1]}],"x":"abc}'],
      ['garbage after the value', '{"runs":[{"results":[1]}]} x'],
      ['a second value', '{"runs":[]}{}'],
      ['an extra closing brace', '{"runs":[{"results":[1]}]}}'],
      ['a trailing comma in a lazy array', '{"runs":[{"results":[1,]}]}'],
      ['a leading comma in a lazy array', '{"runs":[{"results":[,1]}]}'],
      ['a lone comma in a lazy array', '{"runs":[{"results":[,]}]}'],
      ['a trailing comma in runs', '{"runs":[{"results":[1]},]}'],
      ['a trailing comma in an object', '{"runs":[{"results":[1],}]}'],
      ['a missing colon', '{"runs":[{"results" [1]}]}'],
      ['a missing value', '{"runs":[{"results":[1]}],"x":}'],
      ['a missing comma between members', '{"runs":[{"results":[1]} "x":1}'],
      ['an unquoted key', '{"runs":[{results:[1]}]}'],
      ['a single-quoted string', '{"runs":[{"results":[1]}],\'x\':1}'],
      ['a bad literal outside', '{"runs":[{"results":[1]}],"x":tru}'],
      [
        'a missing comma between objects',
        '{"runs":[{"results":[{"a":1} {"b":2}]}]}',
      ],
      ['a top-level trailing comma', '[1,]'],
      ['a top-level leading comma', '[,1]'],
      ['a top-level missing comma', '[1 2]'],
    ])('rejects %s', (_name, text) => {
      for (const paths of [RESULTS_PATHS, [[]], []]) {
        const error = errorOf(() => {
          const { document } = read(text, paths);
          materialize(document);
        });

        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toMatch(/^Invalid test report: malformed JSON/);
      }
    });

    it.each([
      ['a missing comma', '{"runs":[{"results":[1 2]}]}'],
      ['a missing comma before a string', '{"runs":[{"results":[1 "a"]}]}'],
      ['a missing comma between strings', '{"runs":[{"results":["a" "b"]}]}'],
      [
        'a missing comma before an object',
        '{"runs":[{"results":[1 {"a":2}]}]}',
      ],
      ['a bad literal', '{"runs":[{"results":[tru]}]}'],
      ['a form feed between elements', '{"runs":[{"results":[1,\f2]}]}'],
      ['a top-level missing comma', '[1 2]'],
    ])('rejects %s in a lazy array, at the latest when read', (_name, text) => {
      const paths = text.startsWith('[') ? [[]] : RESULTS_PATHS;
      const error = errorOf(() => {
        const { document } = read(text, paths);
        materialize(document);
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^Invalid test report: malformed JSON/);
    });

    it('names the place of a malformed element when it is read', () => {
      const text = '{"runs":[{"results":[{"a":1},{"a":}]}]}';

      const { document, hasLazyArrays } = read(text);
      const lazy = (document as any).runs[0].results as LazyJsonArray;

      expect(hasLazyArrays).toBe(true);
      expect(lazy.length).toBe(2);
      expect(lazy.at(0)).toEqual({ a: 1 });
      const error = errorOf(() => lazy.at(1));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        `Invalid test report: malformed JSON at runs[0].results[1] (byte ${text.indexOf(
          '{"a":}',
        )}): `,
      );
      expect(errorOf(() => lazy.at(-1)).message).toContain(
        'runs[0].results[1]',
      );

      const iterator = lazy[Symbol.iterator]();
      expect(iterator.next()).toEqual({ value: { a: 1 }, done: false });
      expect(() => iterator.next()).toThrow(InputError);
      expect(() => lazy.toArray()).toThrow(/runs\[0\]\.results\[1\]/);
    });

    it('names the run of a malformed element', () => {
      const text = '{"runs":[{"results":[1]},{"results":[2,3,{"b":nope}]}]}';

      const { document } = read(text);
      const runs = (document as any).runs;

      expect(runs[0].results.toArray()).toEqual([1]);
      expect(runs[1].results.at(1)).toBe(3);
      const error = errorOf(() => runs[1].results.at(2));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        `malformed JSON at runs[1].results[2] (byte ${text.indexOf('{"b"')})`,
      );
    });

    it('names the element of a top-level lazy array', () => {
      const { document } = read('[1, {"a": nope}, 3]', [[]]);
      const lazy = document as LazyJsonArray;

      expect(lazy.at(0)).toBe(1);
      expect(lazy.at(2)).toBe(3);
      const error = errorOf(() => lazy.at(1));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/malformed JSON at .*\[1\] \(byte 4\)/);
    });

    it('rejects a malformed escape in a key with an InputError', () => {
      for (const text of ['{"\\x":1}', '{"runs":[{"r\\u12":[1]}]}']) {
        const error = errorOf(() => read(text));
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toMatch(/^Invalid test report: malformed JSON/);
      }
    });
  });
});
