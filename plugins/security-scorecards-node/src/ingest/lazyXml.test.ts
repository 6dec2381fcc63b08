import { LazyList, sourceText } from './lazyList';
import { MalformedXmlError, scanXmlLists } from './lazyXml';

const SPECS = [
  { container: 'components', item: 'component' },
  { container: 'vulnerabilities', item: 'vulnerability' },
];

/** The scan of a document, with the text of each list's items. */
function scan(source: string | Buffer, start?: number) {
  const result = scanXmlLists(source, SPECS, {
    maxNestedTags: 100,
    ...(start !== undefined ? { start } : {}),
  });
  return {
    rootName: result.rootName,
    skeleton: result.skeleton,
    lists: result.lists.map(bounds => {
      if (bounds === undefined) return undefined;
      const texts: string[] = [];
      for (let index = 0; index < bounds.length; index += 2) {
        texts.push(sourceText(source, bounds[index], bounds[index + 1]));
      }
      return texts;
    }),
  };
}

function malformedMessage(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedXmlError);
    return (error as Error).message;
  }
  return undefined;
}

describe('scanXmlLists', () => {
  it('finds the items of the root lists and leaves the rest as a skeleton', () => {
    const xml =
      '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><metadata><component><name>root</name></component></metadata>' +
      '<components>\n  <component type="library"><name>a</name></component>\n  <component/>\n</components>' +
      '<vulnerabilities><vulnerability><id>X</id></vulnerability></vulnerabilities></bom>';
    expect(scan(xml)).toEqual({
      rootName: 'bom',
      skeleton:
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><metadata><component><name>root</name></component></metadata>' +
        '<components></components><vulnerabilities></vulnerabilities></bom>',
      lists: [
        [
          '<component type="library"><name>a</name></component>',
          '<component/>',
        ],
        ['<vulnerability><id>X</id></vulnerability>'],
      ],
    });
  });

  it('matches the names with the prefix of the root', () => {
    const xml =
      '<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.5"><cdx:components>' +
      '<component><name>unprefixed</name></component><cdx:component><cdx:name>a</cdx:name></cdx:component>' +
      '</cdx:components><components><component/></components></cdx:bom>';
    expect(scan(xml)).toEqual({
      rootName: 'cdx:bom',
      skeleton:
        '<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.5"><cdx:components></cdx:components>' +
        '<components><component/></components></cdx:bom>',
      lists: [
        ['<cdx:component><cdx:name>a</cdx:name></cdx:component>'],
        undefined,
      ],
    });
  });

  it('keeps nested components inside their top-level component', () => {
    const nested =
      '<component><name>a</name><components><component><name>b</name><components><component><name>c</name></component></components></component></components></component>';
    const xml = `<bom><components>${nested}<component><name>d</name></component></components></bom>`;
    expect(scan(xml).lists[0]).toEqual([
      nested,
      '<component><name>d</name></component>',
    ]);
  });

  it('is not fooled by end tags in comments, CDATA, processing instructions or attribute values', () => {
    const first =
      '<component note="a > b </components></bom>" other=\'"</component>\'>' +
      '<!-- </component></components></bom> -->' +
      '<description><![CDATA[</component></components> <!-- ]]></description>' +
      '<?pi a="?></components>" ?>' +
      '<name>a</name></component>';
    const xml = `<bom><!-- <components><component/></components> --><components>${first}<component><name>b</name></component></components><vulnerabilities/></bom>`;
    expect(scan(xml)).toEqual({
      rootName: 'bom',
      skeleton:
        '<bom><!-- <components><component/></components> --><components></components><vulnerabilities/></bom>',
      lists: [[first, '<component><name>b</name></component>'], []],
    });
  });

  it('reads only the first container of a name, and only under the root', () => {
    const xml =
      '<bom><metadata><tools><components><component/></components></tools></metadata>' +
      '<components/><components><component/></components></bom>';
    expect(scan(xml)).toEqual({
      rootName: 'bom',
      skeleton: xml,
      lists: [[], undefined],
    });
    expect(scan('<bom/>')).toEqual({
      rootName: 'bom',
      skeleton: '<bom/>',
      lists: [undefined, undefined],
    });
    expect(scan('')).toEqual({
      skeleton: '',
      lists: [undefined, undefined],
    });
  });

  it('reads bytes as it reads text, in byte offsets', () => {
    const xml =
      '\uFEFF<bom><components><component><name>Grüße 日本 \u{1F600}</name></component><component><name>ß</name></component></components></bom>';
    const text = scan(xml);
    const bytes = Buffer.from(xml, 'utf8');
    // A byte order mark of bytes is skipped by starting after it.
    expect(scan(bytes, 3)).toEqual({
      ...text,
      skeleton: text.skeleton.slice(1),
    });
    const bounds = scanXmlLists(bytes, SPECS, { maxNestedTags: 100 }).lists[0]!;
    expect(bounds[0]).toBe(Buffer.byteLength('\uFEFF<bom><components>'));
  });

  it('refuses what XMLParser refuses, with its messages', () => {
    const deep = (levels: number) =>
      `<bom><components><component>${'<a>'.repeat(levels)}${'</a>'.repeat(
        levels,
      )}</component></components></bom>`;
    // The root, the list and the component are 3 levels: 98 more make 101.
    expect(malformedMessage(() => scan(deep(98)))).toBeUndefined();
    expect(malformedMessage(() => scan(deep(99)))).toBe(
      'Maximum nested tags exceeded',
    );
    expect(
      malformedMessage(() =>
        scan(
          '<bom><components><component><constructor/></component></components></bom>',
        ),
      ),
    ).toMatch(/^\[SECURITY\] Invalid name: "constructor"/);
    expect(malformedMessage(() => scan('<bom></__proto__ ></bom>'))).toMatch(
      /"__proto__"/,
    );
    expect(malformedMessage(() => scan('<bom><!-- x</bom>'))).toBe(
      'Comment is not closed.',
    );
    expect(malformedMessage(() => scan('<bom><![CDATA[ x</bom>'))).toBe(
      'CDATA is not closed.',
    );
    expect(malformedMessage(() => scan('<bom><? x="?>'))).toBe(
      'Pi Tag is not closed.',
    );
    expect(malformedMessage(() => scan('<bom></bom'))).toBe(
      'Closing Tag is not closed.',
    );
    expect(malformedMessage(() => scan('<bom><!Doc></bom>'))).toBe(
      'Invalid Tag instead of DOCTYPE',
    );
    expect(malformedMessage(() => scan('<bom a=">'))).toMatch(/not closed/);
  });
});

describe('LazyList', () => {
  it('reads each element when asked for, every time', () => {
    const source = Buffer.from('<a>1</a><a>22</a><a>333</a>');
    const reads: string[] = [];
    const list = new LazyList(
      source,
      new Uint32Array([0, 8, 8, 17, 17, 27]),
      (text, index) => {
        reads.push(text);
        return `${index}:${text}`;
      },
    );
    expect(list.length).toBe(3);
    expect(reads).toEqual([]);
    expect(list.at(1)).toBe('1:<a>22</a>');
    expect(list.at(-1)).toBe('2:<a>333</a>');
    expect(list.at(3)).toBeUndefined();
    expect(list.at(-4)).toBeUndefined();
    expect([...list]).toEqual(['0:<a>1</a>', '1:<a>22</a>', '2:<a>333</a>']);
    expect([...list]).toHaveLength(3);
    expect(reads).toHaveLength(8);
  });
});
