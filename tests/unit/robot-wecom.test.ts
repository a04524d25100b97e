import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, RobotTarget } from '../../shared/notices/notice.ts';
import { RobotError } from '../../shared/notices/robots/answer.ts';
import { sendToRobot } from '../../shared/notices/robots/send.ts';
import { wecomAnswer, wecomBodies, wecomRequest } from '../../shared/notices/robots/wecom.ts';

const LINK = 'https://cunbao.example.cn/#/towns/EC/2025-03';
const TARGET: RobotTarget = {
  id: 'ec-wecom',
  kind: 'wecom',
  url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1',
  keyword: '村报',
};
const NOW = () => new Date('2025-04-03T01:00:00Z');

const REMIND: Notice = {
  id: 'remind/EC/2025-03',
  kind: 'remind',
  org: 'EC',
  title: '鹅池镇2025年3月法治统计月报催报',
  sections: [{ heading: '尚未报送的村（2个）', lines: ['上坪村', '下坪村'] }, { lines: ['请于4月5日前报送。'] }],
  link: LINK,
};

/** 300 lines of about 270 bytes each: some 80 KB, twenty times a WeCom message. */
function longNotice(): Notice {
  const line = (index: number) =>
    `第${index + 1}村：本月受理矛盾纠纷调解案件三起，婚姻家庭纠纷一起、邻里纠纷一起、土地承包经营纠纷一起，均已调解成功并回访。`;
  return { ...REMIND, kind: 'publish', sections: [{ heading: '各村情况', lines: Array.from({ length: 300 }, (_, i) => line(i)) }] };
}

describe('wecomBodies', () => {
  it('renders a markdown body: the title as a heading, headings bold, lines as a list, the link last', () => {
    // Act
    const bodies = wecomBodies(REMIND, TARGET);

    // Assess
    expect(bodies).toEqual([
      {
        msgtype: 'markdown',
        markdown: {
          content: [
            '### 【村报】鹅池镇2025年3月法治统计月报催报',
            '**尚未报送的村（2个）**',
            '- 上坪村',
            '- 下坪村',
            '',
            '- 请于4月5日前报送。',
            '',
            `[打开村报页面](${LINK})`,
          ].join('\n'),
        },
      },
    ]);
  });

  it('neutralises the markup WeCom would read in the user text', () => {
    // Prepare
    const notice: Notice = { ...REMIND, sections: [{ heading: '*说明*', lines: ['# 上坪村 <font color="warning">[急]</font> `x`'] }] };

    // Act
    const [body] = wecomBodies(notice, TARGET);

    // Assess
    expect(body!.markdown.content).toContain('**＊说明＊**\n- ＃ 上坪村 ＜font color="warning"＞［急］＜/font＞ ｀x｀');
  });

  it('keeps each part of a 300-line notice within 4096 bytes, with the keyword, label and link in each', () => {
    // Act
    const bodies = wecomBodies(longNotice(), TARGET);

    // Assess
    expect(bodies).toHaveLength(10);
    for (const [index, body] of bodies.entries()) {
      expect(Object.keys(body)).toEqual(['msgtype', 'markdown']);
      expect(Object.keys(body.markdown)).toEqual(['content']);
      expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
      expect(body.markdown.content.split('\n')[0]).toBe(`### 【村报】鹅池镇2025年3月法治统计月报催报（${index + 1}/10）`);
      expect(body.markdown.content.endsWith(`[打开村报页面](${LINK})`)).toBe(true);
    }
    expect(bodies[9]!.markdown.content).toMatch(/……（其余 \d+ 行见村报页面）/);
  });
});

describe('wecomRequest', () => {
  it('posts the body as JSON to the webhook URL as configured (the key is in it)', () => {
    // Prepare
    const [body] = wecomBodies(REMIND, TARGET);

    // Act
    const request = wecomRequest(body!, TARGET, NOW());

    // Assess
    expect(request.url).toBe(TARGET.url);
    expect(JSON.parse(request.body)).toEqual(body);
  });
});

describe('wecomAnswer', () => {
  it('reads {"errcode":0,"errmsg":"ok"} as delivered', () => {
    expect(wecomAnswer(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
  });

  it('reads 45009 as rate limited, to retry later', () => {
    expect(wecomAnswer(200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toEqual({
      ok: false,
      rateLimited: true,
      retryable: true,
      code: '45009',
      message: 'api freq out of limit',
    });
  });

  it('reads a bad key (93000) and a too-long content (40058) as needing a fix, not a retry', () => {
    expect(wecomAnswer(200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toMatchObject({
      ok: false,
      retryable: false,
      code: '93000',
    });
    expect(wecomAnswer(200, '{"errcode":40058,"errmsg":"markdown.content exceed max length 4096"}')).toMatchObject({
      ok: false,
      rateLimited: false,
      retryable: false,
    });
  });

  it('reads a 5xx page as retryable, and a 200 that is not JSON as a bad answer, retryable', () => {
    expect(wecomAnswer(502, '<html>Bad Gateway</html>')).toMatchObject({
      ok: false,
      retryable: true,
      rateLimited: false,
      code: 'HTTP_502',
    });
    expect(wecomAnswer(200, 'ok')).toMatchObject({ ok: false, retryable: true, code: 'BAD_ANSWER', message: 'ok' });
  });
});

/** A webhook on 127.0.0.1 that answers each request with `answer`, and records what it got. */
async function webhook(answer: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  const received: { url: string; contentType: string | undefined; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ url: request.url ?? '', contentType: request.headers['content-type'], body });
      answer(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=k-1`, received, close };
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

describe('sendToRobot, against a webhook on 127.0.0.1', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });

  async function started(answer: Parameters<typeof webhook>[0]) {
    const hook = await webhook(answer);
    closing.push(hook.close);
    return { ...hook, target: { ...TARGET, url: hook.url } };
  }

  it('posts every part in order as UTF-8 JSON and resolves with their count', async () => {
    // Prepare
    const hook = await started((_request, _body, response) => json(response, 200, { errcode: 0, errmsg: 'ok' }));

    // Act
    const result = await sendToRobot(hook.target, longNotice(), { now: NOW });

    // Assess
    expect(result).toEqual({ parts: 10 });
    expect(hook.received.map((r) => r.contentType)).toEqual(Array(10).fill('application/json; charset=utf-8'));
    expect(hook.received.map((r) => r.url)).toEqual(Array(10).fill('/cgi-bin/webhook/send?key=k-1'));
    expect(hook.received.map((r) => JSON.parse(r.body))).toEqual(wecomBodies(longNotice(), hook.target));
  });

  it('stops at a rate-limit answer with a retryable RobotError that says how many parts went', async () => {
    // Prepare: the third message is one too many
    let count = 0;
    const hook = await started((_request, _body, response) => {
      count += 1;
      json(response, 200, count < 3 ? { errcode: 0, errmsg: 'ok' } : { errcode: 45009, errmsg: 'api freq out of limit' });
    });

    // Act
    const failure = await sendToRobot(hook.target, longNotice(), { now: NOW }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(RobotError);
    expect(failure).toMatchObject({
      name: 'RobotError',
      code: '45009',
      rateLimited: true,
      retryable: true,
      robot: 'ec-wecom',
      partsSent: 2,
    });
    expect((failure as RobotError).message).not.toContain('key=');
    expect(hook.received).toHaveLength(3);
  });

  it('gives up on a webhook that does not answer in time, as a retryable TIMEOUT', async () => {
    // Prepare: never answers
    const hook = await started(() => undefined);

    // Act
    const failure = await sendToRobot(hook.target, REMIND, { now: NOW, timeoutMs: 200 }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'RobotError', code: 'TIMEOUT', retryable: true, rateLimited: false, partsSent: 0 });
  });

  it('reports a refused connection as a retryable NETWORK error', async () => {
    // Prepare: a port just freed, so nothing listens on it
    const hook = await webhook(() => undefined);
    await hook.close();

    // Act
    const failure = await sendToRobot({ ...TARGET, url: hook.url }, REMIND, { now: NOW }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'RobotError', code: 'NETWORK', retryable: true });
  });

  it('reports an answer that is not JSON as a retryable BAD_ANSWER', async () => {
    // Prepare
    const hook = await started((_request, _body, response) =>
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>维护中</html>'),
    );

    // Act
    const failure = await sendToRobot(hook.target, REMIND, { now: NOW }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'RobotError', code: 'BAD_ANSWER', retryable: true });
  });
});
