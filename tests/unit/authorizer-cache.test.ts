/**
 * The local gateway's authorizer cache (infra/local/authorizer-cache.ts): answers kept for
 * their TTL and then forgotten, at most `capacity` identities (the oldest go first), and the
 * gateway itself holding no more than that after a stream of unique tokens.
 */
import { describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../../infra/local/authorizer-cache.ts';
import { startHttpApi } from '../../infra/local/http-api.ts';

const answer = (until: number) => ({ until, context: { role: 'admin' }, authorized: true });

describe('AuthorizerCache', () => {
  it('gives an answer until its instant, then forgets it', () => {
    // Prepare
    let now = 1_000;
    const cache = new AuthorizerCache(10, () => now);
    cache.set('Bearer a', answer(2_000));

    // Act
    const fresh = cache.get('Bearer a');
    now = 2_000;
    const stale = cache.get('Bearer a');

    // Assess
    expect(fresh?.authorized).toBe(true);
    expect(stale).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most its capacity, the expired first and then the oldest going', () => {
    // Prepare
    let now = 0;
    const cache = new AuthorizerCache(3, () => now);
    cache.set('old', answer(10));
    cache.set('a', answer(100));
    cache.set('b', answer(100));
    now = 20; // 'old' has expired

    // Act
    cache.set('c', answer(100));
    cache.set('d', answer(100));

    // Assess
    expect(cache.size).toBe(3);
    expect(['old', 'a', 'b', 'c', 'd'].map((k) => cache.get(k) !== undefined)).toEqual([false, false, true, true, true]);
  });

  it('bounds the local gateway after 500 unique tokens', async () => {
    // Prepare: a gateway whose authorizer lets everyone in and whose function answers 200
    const gateway = await startHttpApi({
      api: async () => ({ statusCode: 200, body: '{}' }),
      authorizer: async () => ({
        isAuthorized: true,
        context: { role: 'admin', unit: '', tokenId: 't', expiresAt: '2099-01-01T00:00:00Z' },
      }),
      port: 0,
      throttle: false,
      authorizerCacheCapacity: 100,
    });

    // Act
    try {
      for (let i = 0; i < 500; i++) await fetch(`${gateway.url}/v1/me`, { headers: { authorization: `Bearer cb_${i}` } });

      // Assess
      expect(gateway.cachedIdentities()).toBe(100);
    } finally {
      await gateway.stop();
    }
  });
});
