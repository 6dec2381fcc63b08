import { captureIo } from '../__testUtils__/captureIo';
import { clientOptions } from './common';

describe('clientOptions', () => {
  const warning = /^Warning: sending the Backstage token over plain http to /;

  it.each([
    'http://backstage.example.com',
    'http://10.0.0.5:7007',
    'http://127.0.0.2:7007',
  ])('warns on stderr before sending a token over http to %s', async url => {
    const io = captureIo({ env: { BACKSTAGE_TOKEN: 'ci-token' } });

    const options = await clientOptions({ url, maxAttempts: 1 }, io);

    expect(options.token).toBe('ci-token');
    expect(io.err()).toMatch(warning);
    expect(io.err()).toContain(new URL(url).host);
    expect(io.out()).toBe('');
  });

  it.each([
    'https://backstage.example.com',
    'http://localhost:7007',
    'http://LOCALHOST:7007',
    'http://127.0.0.1:7007',
    'http://[::1]:7007',
  ])('does not warn for %s', async url => {
    const io = captureIo({ env: { BACKSTAGE_TOKEN: 'ci-token' } });

    await clientOptions({ url, maxAttempts: 1 }, io);

    expect(io.err()).toBe('');
  });

  it('does not warn when there is no token to send', async () => {
    const io = captureIo({ env: {} });

    const options = await clientOptions(
      { url: 'http://backstage.example.com', maxAttempts: 1 },
      io,
    );

    expect(options.token).toBeUndefined();
    expect(io.err()).toBe('');
  });
});
