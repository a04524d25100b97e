/**
 * The robots' configuration as data (shared/notices/config.ts) and their secrets resolved
 * locally (shared/adapters/local-secrets.ts): every problem named at once, no secret in
 * the configuration, a secret's value as a URL or as JSON with the signing secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalSecrets, secretVariable } from '../../shared/adapters/local-secrets.ts';
import { checkRobotOrgs, NoticeConfigError, robotsConfig, secretRefsOf } from '../../shared/notices/config.ts';
import { resolveRobots } from '../../shared/notices/secrets.ts';
import { district } from '../support/core.ts';

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof NoticeConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('robotsConfig', () => {
  it('reads each robot with its defaults: every event, 20 a minute', () => {
    // Act
    const robots = robotsConfig('[{"id":"ec-work","org":"EC","kind":"dingtalk","secret":"cunbao/robots/ec-work","keyword":"村报"}]');

    // Assess
    expect(robots).toEqual([
      {
        id: 'ec-work',
        org: 'EC',
        kind: 'dingtalk',
        secret: 'cunbao/robots/ec-work',
        keyword: '村报',
        events: ['remind', 'publish', 'correction', 'return'],
        perMinute: 20,
      },
    ]);
    expect(robotsConfig(undefined)).toEqual([]);
    expect(robotsConfig('  ')).toEqual([]);
  });

  it('names every problem at once: kind, id, url and secret both or neither, events, limit', () => {
    // Act
    const problems = problemsOf(() =>
      robotsConfig(
        JSON.stringify([
          { id: 'Bad Id', org: 'EC', kind: 'slack', secret: 's' },
          { id: 'both', org: 'EC', kind: 'wecom', url: 'https://x.test/', secret: 's' },
          { id: 'neither', org: 'EC', kind: 'wecom' },
          { id: 'events', org: 'EC', kind: 'feishu', secret: 's', events: ['lunch'], perMinute: 1000 },
        ]),
      ),
    );

    // Assess
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'robots[0.id]',
      'robots[0.kind]',
      'robots[1]',
      'robots[2]',
      'robots[3.events.0]',
      'robots[3.perMinute]',
    ]);
  });

  it('refuses text that is not JSON and a duplicate id', () => {
    // Act
    const text = problemsOf(() => robotsConfig('[{'));
    const twice = problemsOf(() =>
      robotsConfig('[{"id":"a","org":"EC","kind":"wecom","secret":"s"},{"id":"a","org":"SH","kind":"wecom","secret":"t"}]'),
    );

    // Assess
    expect(text).toEqual([expect.stringContaining('NOTICE_ROBOTS 不是 JSON')]);
    expect(twice).toEqual(['robot a: 重复的 id (duplicate id)']);
  });

  it('knows which orgs the registry has, and which secrets the robots name (for the deployment’s grants)', () => {
    // Prepare
    const robots = robotsConfig(
      '[{"id":"a","org":"QJ","kind":"wecom","secret":"s/a"},{"id":"b","org":"XX","kind":"wecom","secret":"s/a"},{"id":"c","org":"EC","kind":"wecom","url":"http://127.0.0.1:1/"}]',
    );

    // Act
    const problems = problemsOf(() => checkRobotOrgs(robots, district));

    // Assess
    expect(problems).toEqual(['robot b: 单位名册中没有 XX (org not in the registry)']);
    expect(secretRefsOf(robots)).toEqual(['s/a']);
  });
});

describe('resolveRobots with the local secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a secret from its variable first, then from the file; a URL alone or JSON with the signing secret', async () => {
    // Prepare
    const file = join(dir, 'secrets.json');
    writeFileSync(
      file,
      JSON.stringify({ 'r/file': { url: 'https://oapi.dingtalk.com/robot/send?access_token=t', signingSecret: 'SECx' } }),
    );
    const env = { [secretVariable('r/env')]: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' };
    const configs = robotsConfig(
      '[{"id":"w","org":"EC","kind":"wecom","secret":"r/env"},{"id":"d","org":"EC","kind":"dingtalk","secret":"r/file","keyword":"村报"}]',
    );

    // Act
    const robots = await resolveRobots(configs, new LocalSecrets(file, env));

    // Assess
    expect(secretVariable('r/env')).toBe('CUNBAO_SECRET_R_ENV');
    expect(robots).toEqual([
      expect.objectContaining({ id: 'w', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }),
      expect.objectContaining({
        id: 'd',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=t',
        signingSecret: 'SECx',
        keyword: '村报',
      }),
    ]);
    expect(robots[0]).not.toHaveProperty('signingSecret');
  });

  it('says which secret is missing and where to put it, and refuses a webhook that is not http(s)', async () => {
    // Prepare
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ 'r/js': 'javascript:alert(1)' }));
    const missing = robotsConfig('[{"id":"m","org":"EC","kind":"wecom","secret":"r/none"}]');
    const js = robotsConfig('[{"id":"j","org":"EC","kind":"wecom","secret":"r/js"}]');

    // Act
    const none = await resolveRobots(missing, new LocalSecrets(file)).catch((error: Error) => error);
    const script = await resolveRobots(js, new LocalSecrets(file)).catch((error: Error) => error);

    // Assess
    expect((none as Error).message).toBe(`no secret r/none: set CUNBAO_SECRET_R_NONE or add it to ${file}`);
    expect((script as Error).message).toBe('robot j: the webhook is not an http(s) URL');
  });
});
