import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  errorOf,
  fixtureFiles,
  inputErrorWith,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import { LazyJsonArray } from './lazyJson';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { looksLikeSpdx, parseSpdx, SPDX_LAZY_PATHS, streamSpdx } from './spdx';

function spdxDocument(
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'test',
    ...fields,
  };
}

describe('parseSpdx', () => {
  describe('04-SBOMwSecurity.json (SPDX 2.3, spdx-examples)', () => {
    const report = parseSpdx(readFixture('spdx', '04-SBOMwSecurity.json'));

    it('keeps the dependency, not the described package', () => {
      expect(report.format).toBe('spdx');
      // creators has only a Person, no Tool.
      expect(report.scanner).toBe('SPDX');
      expect(report.scannerVersion).toBeUndefined();
      // 2 packages; SPDXRef-Package (tools-java) is what the document DESCRIBES.
      expect(report.dependencies).toEqual([
        {
          purl: 'pkg:maven/org.webjars.npm/xlsx@0.16.6',
          name: 'xlsx',
          version: '0.16.6',
          ecosystem: 'maven',
          licenses: [],
          // tools-java DYNAMIC_LINK xlsx
          direct: true,
        },
      ]);
    });

    it('does not turn the SECURITY advisory reference into a finding', () => {
      expect(report.findings).toEqual([]);
    });
  });

  it('reads licenses, purls and direct dependencies from relationships', () => {
    const report = parseSpdx(
      spdxDocument({
        creationInfo: {
          creators: ['Organization: Example', 'Tool: syft-0.98.0'],
        },
        documentDescribes: ['SPDXRef-root'],
        packages: [
          { SPDXID: 'SPDXRef-root', name: 'app', versionInfo: '1.0.0' },
          {
            SPDXID: 'SPDXRef-a',
            name: 'a',
            versionInfo: '1.2.3',
            licenseConcluded: 'MIT AND ISC',
            licenseDeclared: 'MIT',
            externalRefs: [
              {
                referenceCategory: 'SECURITY',
                referenceType: 'cpe23Type',
                referenceLocator: 'cpe:2.3:a:a:a:1.2.3:*:*:*:*:*:*:*',
              },
              {
                referenceCategory: 'PACKAGE-MANAGER',
                referenceType: 'purl',
                referenceLocator: 'pkg:npm/a@1.2.3',
              },
            ],
          },
          {
            SPDXID: 'SPDXRef-b',
            name: 'b',
            versionInfo: '2.0.0',
            licenseConcluded: 'NOASSERTION',
            licenseDeclared: '(MIT OR GPL-2.0-only) AND BSD-3-Clause',
          },
          {
            SPDXID: 'SPDXRef-c',
            name: 'c',
            licenseConcluded: 'GPL-2.0-only WITH Classpath-exception-2.0',
          },
          {
            SPDXID: 'SPDXRef-d',
            name: 'd',
            licenseDeclared: 'Apache-2.0 OR MIT',
          },
          {
            SPDXID: 'SPDXRef-a-again',
            name: 'a',
            versionInfo: '1.2.3',
            licenseConcluded: 'NONE',
            externalRefs: [
              {
                referenceCategory: 'PACKAGE_MANAGER',
                referenceType: 'purl',
                referenceLocator: 'pkg:npm/a@1.2.3',
              },
            ],
          },
        ],
        relationships: [
          {
            spdxElementId: 'SPDXRef-root',
            relationshipType: 'DEPENDS_ON',
            relatedSpdxElement: 'SPDXRef-a',
          },
          {
            spdxElementId: 'SPDXRef-a',
            relationshipType: 'DEPENDS_ON',
            relatedSpdxElement: 'SPDXRef-b',
          },
          {
            spdxElementId: 'SPDXRef-c',
            relationshipType: 'DEV_DEPENDENCY_OF',
            relatedSpdxElement: 'SPDXRef-root',
          },
        ],
      }),
    );
    expect(report.scanner).toBe('syft');
    expect(report.scannerVersion).toBe('0.98.0');
    expect(report.findings).toEqual([]);
    expect(report.dependencies).toEqual([
      {
        purl: 'pkg:npm/a@1.2.3',
        name: 'a',
        version: '1.2.3',
        ecosystem: 'npm',
        licenses: ['MIT', 'ISC'],
        direct: true,
      },
      {
        name: 'b',
        version: '2.0.0',
        licenses: ['(MIT OR GPL-2.0-only) AND BSD-3-Clause'],
        direct: false,
      },
      {
        name: 'c',
        licenses: ['GPL-2.0-only WITH Classpath-exception-2.0'],
        direct: true,
      },
      { name: 'd', licenses: ['Apache-2.0 OR MIT'], direct: false },
    ]);
  });

  it('leaves direct unknown without dependency relationships', () => {
    const report = parseSpdx(
      spdxDocument({
        packages: [
          { SPDXID: 'SPDXRef-root', name: 'app' },
          { SPDXID: 'SPDXRef-a', name: 'a', versionInfo: '1' },
        ],
        relationships: [
          {
            spdxElementId: 'SPDXRef-DOCUMENT',
            relationshipType: 'DESCRIBES',
            relatedSpdxElement: 'SPDXRef-root',
          },
        ],
      }),
    );
    expect(report.dependencies).toEqual([
      { name: 'a', version: '1', licenses: [] },
    ]);
  });

  it('keeps every package when the document describes all of them', () => {
    const report = parseSpdx(
      spdxDocument({
        spdxVersion: 'SPDX-2.2',
        documentDescribes: ['SPDXRef-a', 'SPDXRef-b'],
        packages: [
          { SPDXID: 'SPDXRef-a', name: 'a', versionInfo: '1' },
          { SPDXID: 'SPDXRef-b', name: 'b', versionInfo: '2' },
        ],
      }),
    );
    expect(report.dependencies.map(dependency => dependency.name)).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects other SPDX versions, naming the version', () => {
    for (const spdxVersion of ['SPDX-2.1', 'SPDX-3.0', 'SPDX-1.2']) {
      expect(errorOf(() => parseSpdx(spdxDocument({ spdxVersion })))).toEqual(
        inputErrorWith('spdx', 'spdxVersion', `"${spdxVersion}"`),
      );
    }
    expect(
      errorOf(() =>
        parseSpdx({
          '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
          '@graph': [],
        }),
      ),
    ).toEqual(inputErrorWith('spdx', 'spdxVersion', 'SPDX 3'));
  });

  it.each([
    [{}, 'spdxVersion'],
    [[1, 2], 'document'],
    [null, 'document'],
    [{ spdxVersion: 2.3 }, 'spdxVersion'],
    [{ spdxVersion: 'SPDX-2.3', packages: {} }, 'packages'],
    [{ spdxVersion: 'SPDX-2.3', packages: ['a'] }, 'packages[0]'],
    [
      { spdxVersion: 'SPDX-2.3', packages: [{ name: 'a' }] },
      'packages[0].SPDXID',
    ],
    [
      { spdxVersion: 'SPDX-2.3', packages: [{ SPDXID: 'SPDXRef-a' }] },
      'packages[0].name',
    ],
    [
      {
        spdxVersion: 'SPDX-2.3',
        packages: [{ SPDXID: 'SPDXRef-a', name: 'a', versionInfo: 1 }],
      },
      'packages[0].versionInfo',
    ],
    [
      {
        spdxVersion: 'SPDX-2.3',
        packages: [
          {
            SPDXID: 'SPDXRef-a',
            name: 'a',
            externalRefs: [{ referenceType: 'purl' }],
          },
        ],
      },
      'packages[0].externalRefs[0].referenceLocator',
    ],
    [
      {
        spdxVersion: 'SPDX-2.3',
        relationships: [{ spdxElementId: 'a', relatedSpdxElement: 'b' }],
      },
      'relationships[0].relationshipType',
    ],
    [
      { spdxVersion: 'SPDX-2.3', documentDescribes: [1] },
      'documentDescribes[0]',
    ],
    [
      { spdxVersion: 'SPDX-2.3', creationInfo: { creators: [{}] } },
      'creationInfo.creators[0]',
    ],
  ])('rejects a wrong shape (%j) naming %s', (document, place) => {
    expect(errorOf(() => parseSpdx(document))).toEqual(
      inputErrorWith('spdx', `at ${place}:`),
    );
  });
});

describe('streamSpdx', () => {
  /** A root that depends on b; a is listed first as a dependency of b, then again as one of the root. */
  const relistedDocument = spdxDocument({
    documentDescribes: ['SPDXRef-root'],
    packages: [
      { SPDXID: 'SPDXRef-a', name: 'a', versionInfo: '1' },
      { SPDXID: 'SPDXRef-root', name: 'app', versionInfo: '1.0.0' },
      { SPDXID: 'SPDXRef-b', name: 'b', versionInfo: '2' },
      {
        SPDXID: 'SPDXRef-a-again',
        name: 'a',
        versionInfo: '1',
        licenseConcluded: 'MIT',
      },
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-root',
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: 'SPDXRef-b',
      },
      {
        spdxElementId: 'SPDXRef-b',
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: 'SPDXRef-a',
      },
      {
        spdxElementId: 'SPDXRef-root',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-a-again',
      },
    ],
  });

  it.each([
    [
      'spdx/04-SBOMwSecurity.json',
      readFixtureText('spdx/04-SBOMwSecurity.json'),
    ],
    ['a package listed twice', JSON.stringify(relistedDocument, null, 2)],
  ])('reads %s lazily as parseSpdx reads it whole', (_name, text) => {
    const lazy = readLazily(text, SPDX_LAZY_PATHS, 'spdx report') as Record<
      string,
      unknown
    >;
    expect(lazy.packages).toBeInstanceOf(LazyJsonArray);
    expect(lazy.relationships).toBeInstanceOf(LazyJsonArray);
    const streamed = streamSpdx(lazy);
    const report = collectReport(streamed);
    expect(report).toEqual(parseSpdx(JSON.parse(text)));
    expect(report.dependencies.length).toBeGreaterThan(0);
    // Every pass reads the packages again.
    expect([...streamed.dependencies]).toEqual([...streamed.dependencies]);
  });

  it('keeps a package direct when a later listing of it is', () => {
    const report = collectReport(
      streamSpdx(
        readLazily(
          JSON.stringify(relistedDocument),
          SPDX_LAZY_PATHS,
          'spdx report',
        ),
      ),
    );
    expect(report.dependencies).toEqual([
      { name: 'a', version: '1', licenses: [], direct: true },
      { name: 'b', version: '2', licenses: [], direct: true },
    ]);
  });

  it('reads the packages as the dependencies are iterated, failing at a malformed one', () => {
    const text = `{
      "spdxVersion": "SPDX-2.3",
      "SPDXID": "SPDXRef-DOCUMENT",
      "creationInfo": { "creators": ["Tool: syft-1.2.3"] },
      "packages": [
        { "SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1" },
        { "SPDXID": "SPDXRef-b", "name": nope }
      ]
    }`;
    const report = streamSpdx(readLazily(text, SPDX_LAZY_PATHS, 'spdx report'));
    expect(report.scanner).toBe('syft');
    expect(report.scannerVersion).toBe('1.2.3');
    expect([...report.findings]).toEqual([]);

    const dependencies = report.dependencies[Symbol.iterator]();
    expect(dependencies.next().value).toEqual({
      name: 'a',
      version: '1',
      licenses: [],
    });
    const error = errorOf(() => dependencies.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid spdx report: malformed JSON at packages[1]',
    );
  });

  it('reads no further than it needs to tell what is described and direct', () => {
    const text = `{
      "spdxVersion": "SPDX-2.3",
      "SPDXID": "SPDXRef-DOCUMENT",
      "packages": [
        { "SPDXID": "SPDXRef-root", "name": "app" },
        { "SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1" },
        { "SPDXID": "SPDXRef-b", "name": nope }
      ],
      "relationships": [
        {
          "spdxElementId": "SPDXRef-DOCUMENT",
          "relationshipType": "DESCRIBES",
          "relatedSpdxElement": "SPDXRef-root"
        },
        {
          "spdxElementId": "SPDXRef-root",
          "relationshipType": "DEPENDS_ON",
          "relatedSpdxElement": "SPDXRef-a"
        }
      ]
    }`;
    const dependencies = streamSpdx(
      readLazily(text, SPDX_LAZY_PATHS, 'spdx report'),
    ).dependencies[Symbol.iterator]();
    expect(dependencies.next().value).toEqual({
      name: 'a',
      version: '1',
      licenses: [],
      direct: true,
    });
    expect(() => dependencies.next()).toThrow(
      'Invalid spdx report: malformed JSON at packages[2]',
    );
  });

  it('checks the relationships when the dependencies are first read', () => {
    const report = streamSpdx(
      readLazily(
        JSON.stringify(
          spdxDocument({
            packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }],
            relationships: [{ spdxElementId: 'SPDXRef-a' }],
          }),
        ),
        SPDX_LAZY_PATHS,
        'spdx report',
      ),
    );
    expect(() => [...report.dependencies]).toThrow(
      'Invalid spdx report at relationships[0].relationshipType: is missing',
    );
  });

  it('checks the shape and the version of the document at once', () => {
    expect(() =>
      streamSpdx(
        readLazily(
          '{"spdxVersion":"SPDX-2.3","packages":{}}',
          SPDX_LAZY_PATHS,
          'spdx report',
        ),
      ),
    ).toThrow('Invalid spdx report at packages: expected an array');
    expect(() =>
      streamSpdx(
        readLazily(
          '{"spdxVersion":"SPDX-2.3","relationships":7}',
          SPDX_LAZY_PATHS,
          'spdx report',
        ),
      ),
    ).toThrow('Invalid spdx report at relationships: expected an array');
    expect(() =>
      streamSpdx(
        readLazily(
          '{"spdxVersion":"SPDX-3.0","packages":[]}',
          SPDX_LAZY_PATHS,
          'spdx report',
        ),
      ),
    ).toThrow('Invalid spdx report at spdxVersion: unsupported');
    expect(() =>
      streamSpdx(
        readLazily('[{"spdxVersion":"SPDX-2.3"}]', [[]], 'spdx report'),
      ),
    ).toThrow(
      'Invalid spdx report at document: expected an object, got an array',
    );
  });
});

describe('looksLikeSpdx', () => {
  it('recognises the SPDX fixture', () => {
    expect(looksLikeSpdx(readFixture('spdx', '04-SBOMwSecurity.json'))).toBe(
      true,
    );
  });

  it('recognises the SPDX fixture read lazily', () => {
    const lazy = readLazily(
      readFixtureText('spdx', '04-SBOMwSecurity.json'),
      SPDX_LAZY_PATHS,
      'spdx report',
    );
    expect((lazy as Record<string, unknown>).packages).toBeInstanceOf(
      LazyJsonArray,
    );
    expect(looksLikeSpdx(lazy)).toBe(true);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it is SPDX",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'spdx report',
      );
      expect(looksLikeSpdx(lazy)).toBe(folder === 'spdx');
    },
  );

  it('does not claim the other formats', () => {
    const others = fixtureFiles()
      .filter(([folder, file]) => folder !== 'spdx' && !file.endsWith('.xml'))
      .map(([folder, file]) => `${folder}/${file}`);
    expect(others.length).toBeGreaterThan(10);
    for (const file of others) {
      expect([file, looksLikeSpdx(readFixture(file))]).toEqual([file, false]);
    }
    expect(looksLikeSpdx({ spdxVersion: '2.3' })).toBe(false);
    expect(looksLikeSpdx([])).toBe(false);
    expect(looksLikeSpdx('SPDX-2.3')).toBe(false);
  });
});
