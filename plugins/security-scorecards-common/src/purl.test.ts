import { purlWithoutVersion, versionOfPurl } from './purl';

describe('purlWithoutVersion', () => {
  it.each([
    ['pkg:npm/lodash@4.17.20', 'pkg:npm/lodash'],
    ['pkg:npm/@babel/core@7.24.0', 'pkg:npm/@babel/core'],
    ['pkg:npm/%40babel/core@7.24.0', 'pkg:npm/%40babel/core'],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
      'pkg:maven/org.apache.logging.log4j/log4j-core',
    ],
    [
      'pkg:apk/alpine/openssl@1.1.1k-r0?arch=x86_64&distro=3.10',
      'pkg:apk/alpine/openssl',
    ],
    [
      'pkg:golang/github.com/gorilla/mux@v1.8.0#subdir',
      'pkg:golang/github.com/gorilla/mux',
    ],
    ['pkg:npm/lodash', 'pkg:npm/lodash'],
  ])('%s is %s', (purl, expected) => {
    expect(purlWithoutVersion(purl)).toBe(expected);
  });
});

describe('versionOfPurl', () => {
  it.each([
    ['pkg:npm/lodash@4.17.20', '4.17.20'],
    ['pkg:npm/@babel/core@7.24.0', '7.24.0'],
    ['pkg:deb/debian/curl@7.50.3-1%2Bdeb9u1?arch=amd64', '7.50.3-1+deb9u1'],
    ['pkg:npm/lodash', undefined],
  ])('%s has version %s', (purl, expected) => {
    expect(versionOfPurl(purl)).toBe(expected);
  });
});
