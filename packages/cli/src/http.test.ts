import { json, startTestServer } from './__testUtils__/testServer';
import { isRetryableStatus, parseRetryAfter, sendWithRetries } from './http';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and server errors other than 501', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 413, 501].some(isRetryableStatus)).toBe(
      false,
    );
  });
});

describe('sendWithRetries', () => {
  it('retries a dropped connection', async () => {
    const server = await startTestServer(
      (_request, res) => res.socket?.destroy(),
      json(200, { ok: true }),
    );
    try {
      const sleeps: number[] = [];
      const response = await sendWithRetries(
        { method: 'GET', url: new URL(`${server.url}/x`) },
        { maxAttempts: 3, sleep: async ms => void sleeps.push(ms) },
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString())).toEqual({ ok: true });
      expect(server.requests).toHaveLength(2);
      expect(sleeps).toEqual([1000]);
    } finally {
      await server.close();
    }
  });

  it('caps the backoff and a long Retry-After', async () => {
    const server = await startTestServer(
      json(503, {}),
      json(503, {}, { 'Retry-After': '3600' }),
      json(503, {}),
      json(200, {}),
    );
    try {
      const sleeps: number[] = [];
      await sendWithRetries(
        { method: 'GET', url: new URL(server.url) },
        {
          maxAttempts: 4,
          sleep: async ms => void sleeps.push(ms),
          baseDelayMs: 10_000,
          maxDelayMs: 15_000,
          maxRetryAfterMs: 60_000,
        },
      );
      expect(sleeps).toEqual([10_000, 60_000, 15_000]);
    } finally {
      await server.close();
    }
  });
});
