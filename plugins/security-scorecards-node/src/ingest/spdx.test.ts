import {
  errorOf,
  fixtureFiles,
  inputErrorWith,
  readFixture,
} from './__testUtils__/parserFixtures';
import { looksLikeSpdx, parseSpdx } from './spdx';

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

describe('looksLikeSpdx', () => {
  it('recognises the SPDX fixture', () => {
    expect(looksLikeSpdx(readFixture('spdx', '04-SBOMwSecurity.json'))).toBe(
      true,
    );
  });

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
