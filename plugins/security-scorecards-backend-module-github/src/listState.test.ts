import {
  GithubAlertListState,
  readListState,
  writeListState,
} from './listState';

const url =
  'https://api.github.com/repos/acme/payments/dependabot/alerts?per_page=100';

describe('readListState and writeListState', () => {
  it('read what was written', () => {
    const states: GithubAlertListState[] = [
      {
        url,
        at: 1767268800000,
        pages: [
          { etag: 'W/"a"', next: `${url}&after=Y3Vyc29y` },
          { etag: '"b"' },
        ],
      },
      { url, at: 1767268800000, pages: [] },
      { url, at: 1767268800000, unavailable: '404 no analysis found' },
    ];
    for (const state of states) {
      const text = writeListState(state);
      expect(JSON.parse(text).v).toBe(1);
      expect(readListState(text)).toEqual(state);
    }
  });

  it.each([
    ['nothing', undefined],
    ['empty', ''],
    ['not JSON', '{"v":1,"url"'],
    ['JSON but not an object', '"etag"'],
    ['null', 'null'],
    ['without a version', JSON.stringify({ url, at: 1, pages: [] })],
    ['of another version', JSON.stringify({ v: 2, url, at: 1, pages: [] })],
    ['without a url', JSON.stringify({ v: 1, at: 1, pages: [] })],
    ['with a time that is not a number', '{"v":1,"url":"x","at":null}'],
    ['without pages', JSON.stringify({ v: 1, url, at: 1 })],
    [
      'with an ETag that is not a string',
      JSON.stringify({ v: 1, url, at: 1, pages: [{ etag: 7 }] }),
    ],
    [
      'with a page that is not the last and names no next page',
      JSON.stringify({
        v: 1,
        url,
        at: 1,
        pages: [{ etag: 'a' }, { etag: 'b' }],
      }),
    ],
    [
      'with a last page that names a next page',
      JSON.stringify({ v: 1, url, at: 1, pages: [{ etag: 'a', next: url }] }),
    ],
    [
      'with both pages and a reason',
      JSON.stringify({ v: 1, url, at: 1, pages: [], unavailable: 'off' }),
    ],
  ])('read %s as no state', (_what, text) => {
    expect(readListState(text)).toBeUndefined();
  });

  it('keep nothing but the known fields', () => {
    expect(
      readListState(
        JSON.stringify({
          v: 1,
          url,
          at: 1,
          pages: [{ etag: 'a', alerts: [{ number: 1 }] }],
          alerts: [{ number: 1 }],
        }),
      ),
    ).toEqual({ url, at: 1, pages: [{ etag: 'a' }] });
  });
});
