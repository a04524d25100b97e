import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, RobotTarget } from '../../shared/notices/notice.ts';
import { dingtalkAnswer, dingtalkBodies, dingtalkRequest } from '../../shared/notices/robots/dingtalk.ts';
import { sendToRobot } from '../../shared/notices/robots/send.ts';

const LINK = 'https://cunbao.example.cn/#/towns/EC/2025-03';
const URL_ = 'https://oapi.dingtalk.com/robot/send?access_token=t0k3n';
/** Chosen so that the signature below holds `+`, `/` and `=`, all three of which must be url-encoded. */
const SECRET = 'SEC0000c0ffee';
const AT = new Date(1_700_000_000_123);
const KEYWORDED: RobotTarget = { id: 'ec-ding', kind: 'dingtalk', url: URL_, keyword: '村报' };
const SIGNED: RobotTarget = { id: 'ec-ding', kind: 'dingtalk', url: URL_, signingSecret: SECRET };

const PUBLISH: Notice = {
  id: 'publish/EC/monthly/2025-03/r1',
  kind: 'publish',
  org: 'EC',
  title: '鹅池镇2025年3月法治统计月报',
  sections: [{ heading: '主要数据', lines: ['受理调解案件 42 件，调解成功 40 件', '普法宣传活动 18 场'] }],
  link: LINK,
};

function longNotice(): Notice {
  const line = (index: number) =>
    `第${index + 1}村：本月受理矛盾纠纷调解案件三起，婚姻家庭纠纷一起、邻里纠纷一起、土地承包经营纠纷一起，均已调解成功并回访。`;
  return { ...PUBLISH, sections: [{ heading: '各村情况', lines: Array.from({ length: 300 }, (_, i) => line(i)) }] };
}

/** DingTalk's documented scheme, computed here on its own: HmacSHA256(key = secret, timestamp + "\n" + secret). */
function expectedSign(timestamp: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest('base64');
}

describe('dingtalkBodies', () => {
  it('renders {msgtype: markdown, markdown: {title, text}}: the plain title, then the text under a ### heading', () => {
    // Act
    const bodies = dingtalkBodies(PUBLISH, KEYWORDED);

    // Assess
    expect(bodies).toEqual([
      {
        msgtype: 'markdown',
        markdown: {
          title: '【村报】鹅池镇2025年3月法治统计月报',
          text: [
            '### 【村报】鹅池镇2025年3月法治统计月报',
            '',
            '**主要数据**',
            '- 受理调解案件 42 件，调解成功 40 件',
            '- 普法宣传活动 18 场',
            '',
            `[打开村报页面](${LINK})`,
          ].join('\n'),
        },
      },
    ]);
  });

  it('neutralises DingTalk emphasis, links and tags in the user text, `_` included', () => {
    // Prepare
    const notice: Notice = { ...PUBLISH, sections: [{ lines: ['上_坪_村 *急* [x](y) <b>'] }] };

    // Act
    const [body] = dingtalkBodies(notice, KEYWORDED);

    // Assess
    expect(body!.markdown.text).toContain('- 上＿坪＿村 ＊急＊ ［x］(y) ＜b＞');
  });

  it('keeps each serialized body of a 300-line notice within 20 000 bytes, keyword and link in each', () => {
    // Act
    const bodies = dingtalkBodies(longNotice(), KEYWORDED);

    // Assess
    expect(bodies.length).toBeGreaterThan(1);
    for (const [index, body] of bodies.entries()) {
      expect(Object.keys(body)).toEqual(['msgtype', 'markdown']);
      expect(Object.keys(body.markdown)).toEqual(['title', 'text']);
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(20_000);
      expect(body.markdown.title).toBe(`【村报】鹅池镇2025年3月法治统计月报（${index + 1}/${bodies.length}）`);
      expect(body.markdown.text).toContain('村报');
      expect(body.markdown.text.endsWith(`[打开村报页面](${LINK})`)).toBe(true);
    }
    expect(bodies.flatMap((body) => body.markdown.text.split('\n').filter((line) => line.startsWith('- 第')))).toHaveLength(300);
  });
});

describe('dingtalkRequest', () => {
  it('appends timestamp (ms) and the url-encoded signature to the webhook URL', () => {
    // Prepare
    const [body] = dingtalkBodies(PUBLISH, SIGNED);
    const sign = expectedSign('1700000000123', SECRET);
    const encoded = sign.replaceAll('+', '%2B').replaceAll('/', '%2F').replaceAll('=', '%3D');

    // Act
    const request = dingtalkRequest(body!, SIGNED, AT);

    // Assess
    expect(sign).toMatch(/\+/);
    expect(sign).toMatch(/\//);
    expect(sign).toMatch(/=$/);
    expect(request.url).toBe(`${URL_}&timestamp=1700000000123&sign=${encoded}`);
    expect(new URL(request.url).searchParams.get('sign')).toBe(sign);
    expect(JSON.parse(request.body)).toEqual(body);
  });

  it('leaves the URL as configured when the robot has no signing secret', () => {
    // Prepare
    const [body] = dingtalkBodies(PUBLISH, KEYWORDED);

    // Act
    const request = dingtalkRequest(body!, KEYWORDED, AT);

    // Assess
    expect(request.url).toBe(URL_);
  });
});

describe('dingtalkAnswer', () => {
  it('reads {"errcode":0,"errmsg":"ok"} as delivered', () => {
    expect(dingtalkAnswer(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
  });

  it('reads 130101 (send too fast) and the documented 410100 as rate limited, to retry later', () => {
    expect(dingtalkAnswer(200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}')).toMatchObject({
      ok: false,
      rateLimited: true,
      retryable: true,
      code: '130101',
    });
    expect(dingtalkAnswer(200, '{"errcode":410100,"errmsg":"发送速度太快而限流"}')).toMatchObject({ rateLimited: true, retryable: true });
  });

  it('reads 310000 (keyword, signature or IP) and 300001 (token) as needing a fix, not a retry', () => {
    expect(dingtalkAnswer(200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({
      ok: false,
      rateLimited: false,
      retryable: false,
      code: '310000',
      message: 'sign not match',
    });
    expect(dingtalkAnswer(200, '{"errcode":300001,"errmsg":"token is not exist"}')).toMatchObject({ ok: false, retryable: false });
  });

  it('reads a 5xx as retryable and a 200 that is not JSON as a retryable bad answer', () => {
    expect(dingtalkAnswer(503, 'Service Unavailable')).toMatchObject({ ok: false, retryable: true, code: 'HTTP_503' });
    expect(dingtalkAnswer(200, '')).toMatchObject({ ok: false, retryable: true, code: 'BAD_ANSWER' });
  });
});

describe('sendToRobot, DingTalk, against a webhook on 127.0.0.1', () => {
  const closing: (() => void)[] = [];
  afterEach(() => {
    for (const close of closing.splice(0)) close();
  });

  it('signs each part in the query, as the webhook can check with the secret', async () => {
    // Prepare: a webhook that checks the signature as DingTalk does
    const checked: boolean[] = [];
    const server = createServer((request, response) => {
      const query = new URL(request.url ?? '', 'http://127.0.0.1').searchParams;
      const timestamp = query.get('timestamp') ?? '';
      checked.push(query.get('access_token') === 't0k3n' && query.get('sign') === expectedSign(timestamp, SECRET));
      request.resume().on('end', () => response.writeHead(200).end('{"errcode":0,"errmsg":"ok"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closing.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const target = { ...SIGNED, url: `http://127.0.0.1:${port}/robot/send?access_token=t0k3n` };

    // Act
    const result = await sendToRobot(target, longNotice(), { now: () => AT });

    // Assess
    expect(result.parts).toBeGreaterThan(1);
    expect(checked).toEqual(Array(result.parts).fill(true));
  });
});
