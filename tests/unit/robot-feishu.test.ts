import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, RobotTarget } from '../../shared/notices/notice.ts';
import { feishuAnswer, feishuBodies, feishuRequest } from '../../shared/notices/robots/feishu.ts';
import { sendToRobot } from '../../shared/notices/robots/send.ts';

const LINK = 'https://cunbao.example.cn/#/towns/EC/2025-03';
const URL_ = 'https://open.feishu.cn/open-apis/bot/v2/hook/0e6f-token';
/** Chosen so that the signature below holds `+` and `/` (sent as they are: the body is JSON). */
const SECRET = 'fs0011secret';
const AT = new Date(1_700_000_000_999);
const KEYWORDED: RobotTarget = { id: 'ec-feishu', kind: 'feishu', url: URL_, keyword: '村报' };
const SIGNED: RobotTarget = { id: 'ec-feishu', kind: 'feishu', url: URL_, signingSecret: SECRET, keyword: '村报' };

const RETURN: Notice = {
  id: 'return/EC/2025-03/shangping',
  kind: 'return',
  org: 'EC',
  title: '上坪村2025年3月报表已退回',
  sections: [{ heading: '退回原因', lines: ['调解案件数 ~12~ 与台账不符，请核对后重报'] }],
  link: LINK,
};

function longNotice(): Notice {
  const line = (index: number) =>
    `第${index + 1}村：本月受理矛盾纠纷调解案件三起，婚姻家庭纠纷一起、邻里纠纷一起、土地承包经营纠纷一起，均已调解成功并回访。`;
  return { ...RETURN, kind: 'publish', sections: [{ heading: '各村情况', lines: Array.from({ length: 300 }, (_, i) => line(i)) }] };
}

/** Feishu's documented scheme, computed here on its own: the key is timestamp + "\n" + secret, the message empty. */
function expectedSign(timestamp: string, secret: string): string {
  return createHmac('sha256', Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .update(Buffer.alloc(0))
    .digest('base64');
}

describe('feishuBodies', () => {
  it('renders an interactive card: the title in a plain-text header, the lines in one markdown element', () => {
    // Act
    const bodies = feishuBodies(RETURN, KEYWORDED);

    // Assess
    expect(bodies).toEqual([
      {
        msg_type: 'interactive',
        card: {
          header: { title: { tag: 'plain_text', content: '【村报】上坪村2025年3月报表已退回' }, template: 'yellow' },
          elements: [
            {
              tag: 'markdown',
              content: ['**退回原因**', '- 调解案件数 ～12～ 与台账不符，请核对后重报', '', `[打开村报页面](${LINK})`].join('\n'),
            },
          ],
        },
      },
    ]);
  });

  it('keeps each signed body of a 300-line notice within 20 000 bytes, keyword and link in each', () => {
    // Act
    const bodies = feishuBodies(longNotice(), SIGNED);

    // Assess
    expect(bodies.length).toBeGreaterThan(1);
    for (const [index, body] of bodies.entries()) {
      const sent = feishuRequest(body, SIGNED, AT).body;
      expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(20_000);
      expect(Object.keys(body)).toEqual(['msg_type', 'card']);
      expect(Object.keys(body.card)).toEqual(['header', 'elements']);
      expect(body.card.header.title.content).toBe(`【村报】上坪村2025年3月报表已退回（${index + 1}/${bodies.length}）`);
      expect(body.card.elements).toHaveLength(1);
      expect(body.card.elements[0].content.endsWith(`[打开村报页面](${LINK})`)).toBe(true);
    }
  });
});

describe('feishuRequest', () => {
  it('puts timestamp (seconds, a string) and sign in the body beside msg_type, the URL unchanged', () => {
    // Prepare
    const [body] = feishuBodies(RETURN, SIGNED);
    const sign = expectedSign('1700000000', SECRET);

    // Act
    const request = feishuRequest(body!, SIGNED, AT);

    // Assess
    expect(sign).toMatch(/\+/);
    expect(sign).toMatch(/\//);
    expect(request.url).toBe(URL_);
    const sent = JSON.parse(request.body) as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual(['timestamp', 'sign', 'msg_type', 'card']);
    expect(sent).toEqual({ timestamp: '1700000000', sign, ...body });
  });

  it('sends the body alone when the bot has no signing secret', () => {
    // Prepare
    const [body] = feishuBodies(RETURN, KEYWORDED);

    // Act
    const request = feishuRequest(body!, KEYWORDED, AT);

    // Assess
    expect(JSON.parse(request.body)).toEqual(body);
  });
});

describe('feishuAnswer', () => {
  it('reads {"code":0,"msg":"success"} and the older {"StatusCode":0} as delivered', () => {
    expect(feishuAnswer(200, '{"code":0,"data":{},"msg":"success"}')).toEqual({ ok: true });
    expect(feishuAnswer(200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true });
  });

  it('reads 9499 and 11232 (frequency limited) as rate limited, to retry later', () => {
    expect(feishuAnswer(200, '{"code":9499,"msg":"too many request"}')).toMatchObject({
      ok: false,
      rateLimited: true,
      retryable: true,
      code: '9499',
    });
    expect(feishuAnswer(200, '{"code":11232,"msg":"frequency limited"}')).toMatchObject({ rateLimited: true, retryable: true });
  });

  it('reads 9499 as a bad request, not a rate limit, unless its message says too many', () => {
    expect(feishuAnswer(200, '{"code":9499,"data":{},"msg":"Bad Request"}')).toMatchObject({
      ok: false,
      rateLimited: false,
      retryable: false,
    });
  });

  it('reads a bad signature (19021), a missing keyword (19024) and bad params (19002) as needing a fix', () => {
    expect(
      feishuAnswer(400, '{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}'),
    ).toEqual({
      ok: false,
      rateLimited: false,
      retryable: false,
      code: '19021',
      message: 'sign match fail or timestamp is not within one hour from current time',
    });
    expect(feishuAnswer(200, '{"code":19024,"msg":"Key Words Not Found"}')).toMatchObject({ ok: false, retryable: false });
    expect(feishuAnswer(200, '{"code":19002,"msg":"params error"}')).toMatchObject({ ok: false, retryable: false });
  });

  it('reads a 5xx as retryable and an answer that is not JSON as a retryable bad answer', () => {
    expect(feishuAnswer(500, 'Internal Server Error')).toMatchObject({ ok: false, retryable: true, code: 'HTTP_500' });
    expect(feishuAnswer(200, '<html></html>')).toMatchObject({ ok: false, retryable: true, code: 'BAD_ANSWER' });
  });
});

describe('sendToRobot, Feishu, against a webhook on 127.0.0.1', () => {
  const closing: (() => void)[] = [];
  afterEach(() => {
    for (const close of closing.splice(0)) close();
  });

  it('signs each part in its body, and stops at a frequency limit as a retryable rate limit', async () => {
    // Prepare: a webhook that checks the signature as Feishu does, and limits the second message
    const signs: boolean[] = [];
    const server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        text += chunk;
      });
      request.on('end', () => {
        const body = JSON.parse(text) as { timestamp: string; sign: string };
        signs.push(body.sign === expectedSign(body.timestamp, SECRET));
        const answer = signs.length === 1 ? { code: 0, msg: 'success', data: {} } : { code: 11232, msg: 'frequency limited psm' };
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closing.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const target = { ...SIGNED, url: `http://127.0.0.1:${port}/open-apis/bot/v2/hook/0e6f-token` };

    // Act
    const failure = await sendToRobot(target, longNotice(), { now: () => AT }).catch((error: unknown) => error);

    // Assess
    expect(signs).toEqual([true, true]);
    expect(failure).toMatchObject({
      name: 'RobotError',
      code: '11232',
      rateLimited: true,
      retryable: true,
      robot: 'ec-feishu',
      partsSent: 1,
    });
  });
});
