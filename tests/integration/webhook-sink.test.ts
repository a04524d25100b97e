/**
 * The local group-robot sink (infra/local/webhook-sink.ts) over real HTTP, with fetch: each
 * platform's answers (WeCom, DingTalk, Feishu), the signatures computed here with node:crypto
 * independently of both the sink and the senders, the files written, the faults and rate
 * limits on demand (in process and through the control routes), and its bounds.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SinkNotice, type SinkRobot, startWebhookSink, type WebhookSink } from '../../infra/local/webhook-sink.ts';

interface Answer {
  readonly status: number;
  /** The JSON answered, or the text when it is not JSON. */
  readonly body: Record<string, unknown>;
  readonly text: string;
}

async function post(url: string, body: unknown, init: { contentType?: string; signal?: AbortSignal } = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': init.contentType ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An HTML page (http500) or an empty body: the text is there.
  }
  return { status: res.status, body: parsed, text };
}

/** DingTalk: key = secret, message = timestamp + "\n" + secret; the caller URL-encodes it. */
const dingtalkSign = (secret: string, timestamp: string) => createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
const signedDingtalkUrl = (url: string, secret: string, ms: number = Date.now()) =>
  `${url}&timestamp=${ms}&sign=${encodeURIComponent(dingtalkSign(secret, String(ms)))}`;
/** Feishu: key = timestamp + "\n" + secret, message empty. */
const feishuSign = (secret: string, timestamp: string) => createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

const noticeFiles = (dataDir: string) => readdirSync(join(dataDir, 'notices')).sort();
const fileOf = (notice: SinkNotice) => JSON.parse(readFileSync(notice.file, 'utf8')) as unknown;
const FILE_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-\d{6}-[A-Za-z0-9_.-]+\.json$/;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cunbao-webhook-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the WeCom robot (企业微信)', () => {
  const robot: SinkRobot = { id: 'wecom-town', kind: 'wecom', token: 'wecom-key-0001' };
  let sink: WebhookSink;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(root, 'wecom');
    sink = await startWebhookSink({ dataDir, robots: [robot] });
  });
  afterAll(() => sink.stop());
  beforeEach(() => sink.reset());

  it('accepts a text message with {"errcode":0,"errmsg":"ok"} and writes {robot, kind, receivedAt, body} to a file', async () => {
    // Prepare
    const body = { msgtype: 'text', text: { content: '鹅池镇2025年3月法治统计月报已发布' } };
    // Act
    const answer = await post(sink.urlOf('wecom-town'), body);
    // Assess
    expect(answer).toMatchObject({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    const [notice] = sink.received();
    expect(notice).toMatchObject({ robot: 'wecom-town', kind: 'wecom', body });
    expect(fileOf(notice!)).toEqual({ robot: 'wecom-town', kind: 'wecom', receivedAt: notice!.receivedAt, body });
    expect(notice!.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(basename(notice!.file)).toMatch(FILE_NAME);
    expect(noticeFiles(dataDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('accepts text up to 2048 bytes and markdown / markdown_v2 up to 4096 bytes of UTF-8', async () => {
    // Prepare: 法 is 3 bytes in UTF-8.
    const messages = [
      { msgtype: 'text', text: { content: 'a'.repeat(2048) } },
      { msgtype: 'markdown', markdown: { content: `${'法'.repeat(1365)}a` } },
      { msgtype: 'markdown_v2', markdown_v2: { content: 'x'.repeat(4096) } },
    ];
    // Act
    const answers = [];
    for (const message of messages) answers.push(await post(sink.urlOf('wecom-town'), message));
    // Assess
    expect(answers.map((answer) => answer.body.errcode)).toEqual([0, 0, 0]);
    expect(sink.received().map((notice) => (notice.body as { msgtype: string }).msgtype)).toEqual(['text', 'markdown', 'markdown_v2']);
  });

  it('refuses content one byte over its limit with 40058 naming the field, and writes no file', async () => {
    // Prepare
    const before = noticeFiles(dataDir).length;
    // Act
    const text = await post(sink.urlOf('wecom-town'), { msgtype: 'text', text: { content: '法'.repeat(683) } });
    const markdown = await post(sink.urlOf('wecom-town'), { msgtype: 'markdown', markdown: { content: 'a'.repeat(4097) } });
    // Assess
    expect(text.body.errcode).toBe(40058);
    expect(text.body.errmsg).toMatch(/^text\.content exceed max length 2048\. invalid Request Parameter, hint: /);
    expect(markdown.body.errcode).toBe(40058);
    expect(markdown.body.errmsg).toMatch(/^markdown\.content exceed max length 4096\./);
    expect(sink.received()).toEqual([]);
    expect(sink.rejected().map((rejection) => [rejection.robot, (rejection.answer as { errcode: number }).errcode])).toEqual([
      ['wecom-town', 40058],
      ['wecom-town', 40058],
    ]);
    expect(noticeFiles(dataDir).length).toBe(before);
  });

  it('refuses an unknown key with 93000 "invalid webhook url" and WeCom\'s hint tail', async () => {
    // Prepare
    const url = `${sink.url}/cgi-bin/webhook/send?key=not-a-key`;
    // Act
    const answer = await post(url, { msgtype: 'text', text: { content: '测试' } });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.errcode).toBe(93000);
    expect(answer.body.errmsg).toMatch(
      /^invalid webhook url, hint: \[\d+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=93000$/,
    );
    expect(sink.rejected()).toMatchObject([{ robot: null, kind: 'wecom', status: 200 }]);
  });

  it('refuses empty content with 44004, an unknown msgtype and malformed JSON with 40008', async () => {
    // Act
    const empty = await post(sink.urlOf('wecom-town'), { msgtype: 'text', text: { content: '' } });
    const unknown = await post(sink.urlOf('wecom-town'), { msgtype: 'card', card: {} });
    const malformed = await post(sink.urlOf('wecom-town'), '{"msgtype":"text",');
    // Assess
    expect([empty.body.errcode, unknown.body.errcode, malformed.body.errcode]).toEqual([44004, 40008, 40008]);
    expect(String(empty.body.errmsg)).toMatch(/^empty content, hint: /);
    expect(sink.rejected().at(-1)!.body).toBe('{"msgtype":"text",');
  });
});

describe('the DingTalk robot (钉钉)', () => {
  const SECRET = 'SEC5c1f0e2d6a4b49d8b3e7f1a2c9d04e6b';
  const robots: SinkRobot[] = [
    { id: 'ding-plain', kind: 'dingtalk', token: 'ding-token-plain' },
    { id: 'ding-signed', kind: 'dingtalk', token: 'ding-token-signed', signingSecret: SECRET },
    { id: 'ding-keyword', kind: 'dingtalk', token: 'ding-token-keyword', keyword: '村报' },
  ];
  const markdown = { msgtype: 'markdown', markdown: { title: '村报：3月月报', text: '### 鹅池镇\n> 8个村已报7个' } };
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'dingtalk'), robots });
  });
  afterAll(() => sink.stop());
  beforeEach(() => sink.reset());

  it('accepts a markdown message with {"errcode":0,"errmsg":"ok"} and writes it to a file', async () => {
    // Act
    const answer = await post(sink.urlOf('ding-plain'), markdown);
    // Assess
    expect(answer).toMatchObject({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    const [notice] = sink.received('ding-plain');
    expect(fileOf(notice!)).toEqual({ robot: 'ding-plain', kind: 'dingtalk', receivedAt: notice!.receivedAt, body: markdown });
  });

  it('accepts text, link and actionCard messages', async () => {
    // Prepare
    const messages = [
      { msgtype: 'text', text: { content: '南溪村尚未上报' }, at: { isAtAll: false } },
      { msgtype: 'link', link: { title: '月报', text: '3月月报已发布', messageUrl: 'https://example.cn/r/2025-03' } },
      { msgtype: 'actionCard', actionCard: { title: '月报', text: '### 已发布', singleTitle: '查看', singleURL: 'https://example.cn' } },
    ];
    // Act
    const answers = [];
    for (const message of messages) answers.push(await post(sink.urlOf('ding-plain'), message));
    // Assess
    expect(answers.map((answer) => answer.body)).toEqual([
      { errcode: 0, errmsg: 'ok' },
      { errcode: 0, errmsg: 'ok' },
      { errcode: 0, errmsg: 'ok' },
    ]);
  });

  it('accepts a request signed with a millisecond timestamp and sign = urlencode(base64(HmacSHA256(secret, timestamp + "\\n" + secret)))', async () => {
    // Prepare
    const url = signedDingtalkUrl(sink.urlOf('ding-signed'), SECRET);
    // Act
    const answer = await post(url, markdown);
    // Assess
    expect(answer.body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(sink.received('ding-signed')).toHaveLength(1);
  });

  it('refuses a wrong or missing signature with 310000 "sign not match"', async () => {
    // Prepare
    const ms = Date.now();
    const wrongSecret = signedDingtalkUrl(sink.urlOf('ding-signed'), 'SECnot-the-secret', ms);
    const noSign = `${sink.urlOf('ding-signed')}&timestamp=${ms}`;
    // Act
    const answers = [await post(wrongSecret, markdown), await post(noSign, markdown)];
    // Assess
    for (const answer of answers) {
      expect(answer.body.errcode).toBe(310000);
      expect(answer.body.errmsg).toMatch(/^sign not match/);
    }
    expect(sink.received()).toEqual([]);
  });

  it('refuses a "+" of the signature left unencoded: it decodes to a space, as on the platform', async () => {
    // Prepare: a timestamp whose signature has a '+'.
    let ms = Date.now();
    while (!dingtalkSign(SECRET, String(ms)).includes('+')) ms -= 1;
    const url = `${sink.urlOf('ding-signed')}&timestamp=${ms}&sign=${dingtalkSign(SECRET, String(ms))}`;
    // Act
    const answer = await post(url, markdown);
    // Assess
    expect(answer.body.errcode).toBe(310000);
    expect(answer.body.errmsg).toMatch(/^sign not match/);
  });

  it('refuses a timestamp over an hour old, in seconds, or missing with 310000 "invalid timestamp", and accepts one 59 minutes old', async () => {
    // Prepare
    const hourAgo = Date.now() - 60 * 60_000 - 5_000;
    const urls = [
      signedDingtalkUrl(sink.urlOf('ding-signed'), SECRET, hourAgo),
      signedDingtalkUrl(sink.urlOf('ding-signed'), SECRET, Math.floor(Date.now() / 1000)),
      `${sink.urlOf('ding-signed')}&sign=${encodeURIComponent(dingtalkSign(SECRET, ''))}`,
    ];
    // Act
    const refused = [];
    for (const url of urls) refused.push(await post(url, markdown));
    const recent = await post(signedDingtalkUrl(sink.urlOf('ding-signed'), SECRET, Date.now() - 59 * 60_000), markdown);
    // Assess
    expect(refused.map((answer) => answer.body)).toEqual([
      { errcode: 310000, errmsg: 'invalid timestamp' },
      { errcode: 310000, errmsg: 'invalid timestamp' },
      { errcode: 310000, errmsg: 'invalid timestamp' },
    ]);
    expect(recent.body.errcode).toBe(0);
  });

  it('a keyword robot accepts the keyword in the markdown title or the text content, and refuses a message without it', async () => {
    // Prepare
    const inText = { msgtype: 'text', text: { content: '【村报】南溪村尚未上报' } };
    const without = { msgtype: 'markdown', markdown: { title: '3月月报', text: '8个村已报7个' } };
    // Act
    const titleAnswer = await post(sink.urlOf('ding-keyword'), markdown);
    const textAnswer = await post(sink.urlOf('ding-keyword'), inText);
    const refused = await post(sink.urlOf('ding-keyword'), without);
    // Assess
    expect([titleAnswer.body.errcode, textAnswer.body.errcode]).toEqual([0, 0]);
    expect(refused.body).toEqual({ errcode: 310000, errmsg: 'keywords not in content' });
    expect(sink.received('ding-keyword')).toHaveLength(2);
  });

  it('refuses an unknown access_token with 300005 "token is not exist"', async () => {
    // Act
    const answer = await post(`${sink.url}/robot/send?access_token=0123456789abcdef`, markdown);
    // Assess
    expect(answer.body).toEqual({ errcode: 300005, errmsg: 'token is not exist' });
  });

  it('refuses a body over 20 000 bytes with 460101, and one not sent as application/json with 43004', async () => {
    // Prepare
    const large = { msgtype: 'text', text: { content: 'a'.repeat(20_000) } };
    // Act
    const tooLarge = await post(sink.urlOf('ding-plain'), large);
    const textPlain = await post(sink.urlOf('ding-plain'), JSON.stringify(markdown), { contentType: 'text/plain;charset=UTF-8' });
    // Assess
    expect(tooLarge.body.errcode).toBe(460101);
    expect(tooLarge.body.errmsg).toContain('20000bytes');
    expect(textPlain.body).toEqual({ errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' });
  });

  it('refuses an unsupported msgtype with 400105, a missing field or malformed JSON with 40035', async () => {
    // Act
    const image = await post(sink.urlOf('ding-plain'), { msgtype: 'image', image: { picURL: 'x' } });
    const noTitle = await post(sink.urlOf('ding-plain'), { msgtype: 'markdown', markdown: { text: '正文' } });
    const malformed = await post(sink.urlOf('ding-plain'), 'msgtype=text');
    // Assess
    expect(image.body).toEqual({ errcode: 400105, errmsg: '不支持的消息类型' });
    expect(noTitle.body).toEqual({ errcode: 40035, errmsg: '缺少参数 markdown.title' });
    expect(malformed.body).toEqual({ errcode: 40035, errmsg: '缺少参数 json' });
  });

  it('delivers a message retried with the same msgUuid once, answering ok both times', async () => {
    // Prepare
    const message = { ...markdown, msgUuid: 'publish/EC/monthly/2025-03/r1' };
    // Act
    const first = await post(sink.urlOf('ding-plain'), message);
    const retry = await post(sink.urlOf('ding-plain'), message);
    // Assess
    expect([first.body.errcode, retry.body.errcode]).toEqual([0, 0]);
    expect(sink.received('ding-plain')).toHaveLength(1);
  });
});

describe('the Feishu robot (飞书)', () => {
  const SECRET = 'feishu-secret-qT3vX9';
  const robots: SinkRobot[] = [
    { id: 'feishu-plain', kind: 'feishu', token: 'feishu-hook-plain' },
    { id: 'feishu-signed', kind: 'feishu', token: 'feishu-hook-signed', signingSecret: SECRET },
    { id: 'feishu-keyword', kind: 'feishu', token: 'feishu-hook-keyword', keyword: '村报' },
  ];
  const text = { msg_type: 'text', content: { text: '村报：鹅池镇2025年3月月报已发布' } };
  const signed = (message: object, timestamp: string | number, sign: string) => ({ timestamp, sign, ...message });
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'feishu'), robots });
  });
  afterAll(() => sink.stop());
  beforeEach(() => sink.reset());

  it('accepts a text message with code 0 "success" and writes it to a file', async () => {
    // Act
    const answer = await post(sink.urlOf('feishu-plain'), text);
    // Assess
    expect(answer).toMatchObject({ status: 200, body: { code: 0, data: {}, msg: 'success' } });
    const [notice] = sink.received('feishu-plain');
    expect(fileOf(notice!)).toEqual({ robot: 'feishu-plain', kind: 'feishu', receivedAt: notice!.receivedAt, body: text });
  });

  it('accepts post, interactive (card), share_chat and image messages', async () => {
    // Prepare
    const messages = [
      { msg_type: 'post', content: { post: { zh_cn: { title: '月报', content: [[{ tag: 'text', text: '已发布' }]] } } } },
      { msg_type: 'interactive', card: { elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**已发布**' } }] } },
      { msg_type: 'share_chat', content: { share_chat_id: 'oc_f5b1a7eb27ae2c7b6adc2a74faf339ff' } },
      { msg_type: 'image', content: { image_key: 'img_ecffc3b9-8f14-400f-a014-05eca1a4310g' } },
    ];
    // Act
    const answers = [];
    for (const message of messages) answers.push(await post(sink.urlOf('feishu-plain'), message));
    // Assess
    expect(answers.map((answer) => answer.body.code)).toEqual([0, 0, 0, 0]);
  });

  it('accepts a body signed with a timestamp in seconds and sign = base64(HmacSHA256(key = timestamp + "\\n" + secret, message = ""))', async () => {
    // Prepare
    const ts = nowSeconds();
    // Act
    const asString = await post(sink.urlOf('feishu-signed'), signed(text, ts, feishuSign(SECRET, ts)));
    const asNumber = await post(sink.urlOf('feishu-signed'), signed(text, Number(ts), feishuSign(SECRET, ts)));
    // Assess
    expect([asString.body.code, asNumber.body.code]).toEqual([0, 0]);
  });

  it("refuses a wrong signature, DingTalk's key and message, a millisecond timestamp and an hour-old one with 19021", async () => {
    // Prepare
    const ts = nowSeconds();
    const ms = String(Date.now());
    const old = String(Math.floor(Date.now() / 1000) - 3600 - 5);
    const bodies = [
      signed(text, ts, feishuSign('not-the-secret', ts)),
      signed(text, ts, createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64')),
      signed(text, ms, feishuSign(SECRET, ms)),
      signed(text, old, feishuSign(SECRET, old)),
      text,
    ];
    // Act
    const answers = [];
    for (const body of bodies) answers.push(await post(sink.urlOf('feishu-signed'), body));
    // Assess
    for (const answer of answers) {
      expect(answer.body).toEqual({ code: 19021, data: {}, msg: 'sign match fail or timestamp is not within one hour from current time' });
    }
    expect(sink.received()).toEqual([]);
  });

  it('a keyword robot finds the keyword anywhere in the content or card, and refuses a message without it with 19024', async () => {
    // Prepare
    const card = {
      msg_type: 'interactive',
      card: {
        header: { title: { tag: 'plain_text', content: '3月月报' } },
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: '来自村报' } }],
      },
    };
    const without = { msg_type: 'text', content: { text: '3月月报已发布' } };
    // Act
    const found = await post(sink.urlOf('feishu-keyword'), card);
    const refused = await post(sink.urlOf('feishu-keyword'), without);
    // Assess
    expect(found.body.code).toBe(0);
    expect(refused.body).toEqual({ code: 19024, data: {}, msg: 'Key Words Not Found' });
  });

  it('refuses an unknown token with 19001', async () => {
    // Act
    const answer = await post(`${sink.url}/open-apis/bot/v2/hook/00000000-0000-0000-0000-000000000000`, text);
    // Assess
    expect(answer).toMatchObject({
      status: 200,
      body: { code: 19001, data: {}, msg: 'param invalid: incoming webhook access token invalid' },
    });
  });

  it('refuses a body over 20 KB with 9499 "Bad Request"', async () => {
    // Prepare: 20 481 bytes in all.
    const envelope = JSON.stringify({ msg_type: 'text', content: { text: '' } }).length;
    const large = { msg_type: 'text', content: { text: 'a'.repeat(20 * 1024 + 1 - envelope) } };
    // Act
    const answer = await post(sink.urlOf('feishu-plain'), large);
    // Assess
    expect(Buffer.byteLength(JSON.stringify(large))).toBe(20 * 1024 + 1);
    expect(answer.body).toEqual({ code: 9499, data: {}, msg: 'Bad Request' });
  });

  it('refuses a missing or unknown msg_type with 19002, and a missing content with 9499', async () => {
    // Act
    const missing = await post(sink.urlOf('feishu-plain'), { content: { text: '月报' } });
    const unknown = await post(sink.urlOf('feishu-plain'), { msg_type: 'markdown', content: { text: '月报' } });
    const noContent = await post(sink.urlOf('feishu-plain'), { msg_type: 'text' });
    // Assess
    expect(missing.body).toEqual({ code: 19002, data: {}, msg: 'params error, msg_type need' });
    expect(unknown.body.code).toBe(19002);
    expect(noContent.body).toEqual({ code: 9499, data: {}, msg: 'Bad Request' });
  });
});

describe('faults on demand (fail, rateLimit)', () => {
  const robots: SinkRobot[] = [
    { id: 'f-wecom', kind: 'wecom', token: 'f-wecom-key' },
    { id: 'f-ding', kind: 'dingtalk', token: 'f-ding-token' },
    { id: 'f-feishu', kind: 'feishu', token: 'f-feishu-hook' },
  ];
  const messages: Record<string, object> = {
    'f-wecom': { msgtype: 'text', text: { content: '村报' } },
    'f-ding': { msgtype: 'text', text: { content: '村报' } },
    'f-feishu': { msg_type: 'text', content: { text: '村报' } },
  };
  const send = (id: string, signal?: AbortSignal) => post(sink.urlOf(id), messages[id], { signal });
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'faults'), robots });
  });
  afterAll(() => sink.stop());
  beforeEach(() => sink.reset());

  it('fail(2, "http500") answers HTTP 500 (an HTML page) twice, then the message is accepted', async () => {
    // Prepare
    sink.fail('f-feishu', 2, 'http500');
    // Act
    const answers = [await send('f-feishu'), await send('f-feishu'), await send('f-feishu')];
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([500, 500, 200]);
    expect(answers[0]!.text).toContain('500 Internal Server Error');
    expect(answers[2]!.body.code).toBe(0);
    expect(sink.rejected('f-feishu').map((rejection) => rejection.status)).toEqual([500, 500]);
    expect(sink.received('f-feishu')).toHaveLength(1);
  });

  it('fail(1, "error") answers each platform\'s system-busy body once', async () => {
    // Prepare
    for (const robot of robots) sink.fail(robot.id, 1, 'error');
    // Act
    const busy = [await send('f-wecom'), await send('f-ding'), await send('f-feishu')];
    const after = [await send('f-wecom'), await send('f-ding'), await send('f-feishu')];
    // Assess
    expect(busy[0]!.body.errcode).toBe(-1);
    expect(busy[0]!.body.errmsg).toMatch(/^system busy, hint: /);
    expect(busy[1]!.body).toEqual({ errcode: -1, errmsg: '系统繁忙' });
    expect(busy[2]!.body).toEqual({ code: 1500, data: {}, msg: 'internal error' });
    expect(after.map((answer) => answer.body.errcode ?? answer.body.code)).toEqual([0, 0, 0]);
  });

  it("rateLimit(1) answers each platform's rate-limit body once", async () => {
    // Prepare
    for (const robot of robots) sink.rateLimit(robot.id, 1);
    // Act
    const limited = [await send('f-wecom'), await send('f-ding'), await send('f-feishu')];
    const after = [await send('f-wecom'), await send('f-ding'), await send('f-feishu')];
    // Assess
    expect(limited[0]!.body.errcode).toBe(45009);
    expect(limited[0]!.body.errmsg).toMatch(/^api freq out of limit, hint: /);
    expect(limited[1]!.body).toEqual({ errcode: 410100, errmsg: '发送速度太快而限流' });
    expect(limited[2]!.body).toEqual({ code: 11232, data: {}, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]' });
    expect(after.map((answer) => answer.body.errcode ?? answer.body.code)).toEqual([0, 0, 0]);
  });

  it('answers queued faults in the order they were given', async () => {
    // Prepare
    sink.fail('f-wecom', 1, 'http500');
    sink.rateLimit('f-wecom', 1);
    sink.fail('f-wecom', 1, 'error');
    // Act
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await send('f-wecom'));
    // Assess
    expect(answers.map((answer) => [answer.status, answer.body.errcode])).toEqual([
      [500, undefined],
      [200, 45009],
      [200, -1],
      [200, 0],
    ]);
  });

  it('fail(1, "hang") does not answer until the client gives up, then answers the next request', async () => {
    // Prepare
    sink.fail('f-ding', 1, 'hang');
    const started = Date.now();
    // Act
    const hung = send('f-ding', AbortSignal.timeout(300));
    // Assess
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sink.rejected('f-ding')).toMatchObject([{ status: 0, answer: null }]);
    expect((await send('f-ding')).body).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('refuses a fault for an unknown robot, a count that is not a positive integer, or an unknown kind of fault', () => {
    // Act / Assess
    expect(() => sink.fail('nobody', 1, 'http500')).toThrow(/no robot nobody/);
    expect(() => sink.fail('f-wecom', 0, 'http500')).toThrow(/times/);
    expect(() => sink.rateLimit('f-wecom', 1.5)).toThrow(/times/);
    expect(() => sink.fail('f-wecom', 1, 'timeout' as 'hang')).toThrow(/how/);
  });

  it('stop() releases a request that hangs', async () => {
    // Prepare
    const own = await startWebhookSink({ dataDir: join(root, 'hang-stop'), robots: [robots[0]!] });
    own.fail('f-wecom', 1, 'hang');
    const hung = post(own.urlOf('f-wecom'), messages['f-wecom']);
    for (let i = 0; i < 100 && own.rejected().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    // Act
    await own.stop();
    // Assess
    await expect(hung).rejects.toThrow();
  });
});

describe('rate limits, with an injected clock', () => {
  const robots: SinkRobot[] = [
    { id: 'l-wecom', kind: 'wecom', token: 'l-wecom-key' },
    { id: 'l-ding', kind: 'dingtalk', token: 'l-ding-token' },
    { id: 'l-feishu', kind: 'feishu', token: 'l-feishu-hook' },
  ];
  const wecomText = { msgtype: 'text', text: { content: '村报' } };
  const T0 = Date.parse('2025-04-03T01:00:00.000Z');
  let clock = T0;
  const at = (ms: number) => {
    clock = T0 + ms;
  };
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'limits'), robots, limitPerMinute: 3, now: () => new Date(clock) });
  });
  afterAll(() => sink.stop());
  beforeEach(() => {
    sink.reset();
    at(0);
  });

  it('accepts limitPerMinute messages in a rolling minute, answers 45009 past it, and accepts again once the first is a minute old', async () => {
    // Act
    const answers = [];
    for (const ms of [0, 10_000, 20_000, 30_000, 59_999, 60_000]) {
      at(ms);
      answers.push((await post(sink.urlOf('l-wecom'), wecomText)).body.errcode);
    }
    // Assess
    expect(answers).toEqual([0, 0, 0, 45009, 45009, 0]);
    expect(sink.received('l-wecom').map((notice) => notice.receivedAt)).toEqual([
      '2025-04-03T01:00:00.000Z',
      '2025-04-03T01:00:10.000Z',
      '2025-04-03T01:00:20.000Z',
      '2025-04-03T01:01:00.000Z',
    ]);
  });

  it('on WeCom, refused messages count towards the limit too', async () => {
    // Prepare
    const tooLong = { msgtype: 'text', text: { content: 'a'.repeat(2049) } };
    // Act
    const answers = [];
    for (const message of [tooLong, tooLong, wecomText, wecomText]) answers.push((await post(sink.urlOf('l-wecom'), message)).body.errcode);
    // Assess
    expect(answers).toEqual([40058, 40058, 0, 45009]);
  });

  it('on DingTalk, going over the limit blocks the robot for 10 minutes', async () => {
    // Prepare
    const text = { msgtype: 'text', text: { content: '村报' } };
    // Act
    const answers = [];
    for (const ms of [0, 1_000, 2_000, 3_000, 61_000, 3_000 + 10 * 60_000 - 1, 3_000 + 10 * 60_000]) {
      at(ms);
      answers.push((await post(sink.urlOf('l-ding'), text)).body.errcode);
    }
    // Assess
    expect(answers).toEqual([0, 0, 0, 410100, 410100, 410100, 0]);
  });

  it('the file names sort by arrival, even within one millisecond and across robots', async () => {
    // Prepare: the clock stands still.
    const dataDir = join(root, 'limits');
    const before = new Set(noticeFiles(dataDir));
    // Act
    await Promise.all([
      post(sink.urlOf('l-wecom'), wecomText),
      post(sink.urlOf('l-feishu'), { msg_type: 'text', content: { text: '村报' } }),
      post(sink.urlOf('l-wecom'), wecomText),
      post(sink.urlOf('l-feishu'), { msg_type: 'text', content: { text: '村报' } }),
    ]);
    // Assess
    const written = noticeFiles(dataDir).filter((name) => !before.has(name));
    expect(written).toEqual(sink.received().map((notice) => basename(notice.file)));
    expect(new Set(sink.received().map((notice) => notice.receivedAt))).toEqual(new Set(['2025-04-03T01:00:00.000Z']));
  });
});

describe("the platforms' default limits", () => {
  const robots: SinkRobot[] = [
    { id: 'd-wecom', kind: 'wecom', token: 'd-wecom-key' },
    { id: 'd-feishu', kind: 'feishu', token: 'd-feishu-hook' },
  ];
  const T0 = Date.parse('2025-04-03T01:00:00.000Z');
  let clock = T0;
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'defaults'), robots, now: () => new Date(clock) });
  });
  afterAll(() => sink.stop());
  beforeEach(() => {
    sink.reset();
    clock = T0;
  });

  it('WeCom accepts 20 messages a minute and answers the 21st with 45009', async () => {
    // Act
    const answers = [];
    for (let i = 0; i < 21; i += 1)
      answers.push((await post(sink.urlOf('d-wecom'), { msgtype: 'text', text: { content: `第${i}条` } })).body.errcode);
    // Assess
    expect(answers.slice(0, 20).every((code) => code === 0)).toBe(true);
    expect(answers[20]).toBe(45009);
  });

  it('Feishu accepts 5 messages a second and 100 a minute, and answers past either with 11232', async () => {
    // Prepare
    const send = async () => (await post(sink.urlOf('d-feishu'), { msg_type: 'text', content: { text: '村报' } })).body.code;
    // Act: 6 in the first second, then 5 a second up to 100, then one more in the minute.
    const firstSecond = [];
    for (let i = 0; i < 6; i += 1) firstSecond.push(await send());
    for (let second = 1; second < 20; second += 1) {
      clock = T0 + second * 1000;
      for (let i = 0; i < 5; i += 1) expect(await send()).toBe(0);
    }
    clock = T0 + 20_000;
    const overMinute = await send();
    clock = T0 + 60_000;
    const nextMinute = await send();
    // Assess
    expect(firstSecond).toEqual([0, 0, 0, 0, 0, 11232]);
    expect(sink.received('d-feishu')).toHaveLength(101);
    expect(overMinute).toBe(11232);
    expect(nextMinute).toBe(0);
  });
});

describe('the control routes', () => {
  const robots: SinkRobot[] = [
    { id: 'c-wecom', kind: 'wecom', token: 'c-wecom-key' },
    { id: 'c-feishu', kind: 'feishu', token: 'c-feishu-hook' },
  ];
  const wecomText = { msgtype: 'text', text: { content: '村报' } };
  let sink: WebhookSink;
  const control = async (method: string, path: string) => {
    const res = await fetch(`${sink.url}${path}`, { method });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'control'), robots });
  });
  afterAll(() => sink.stop());
  beforeEach(() => sink.reset());

  it('GET /_sink/robots lists each robot with its webhook URL', async () => {
    // Act
    const answer = await control('GET', '/_sink/robots');
    // Assess
    expect(answer).toEqual({
      status: 200,
      body: [
        { id: 'c-wecom', kind: 'wecom', url: sink.urlOf('c-wecom') },
        { id: 'c-feishu', kind: 'feishu', url: sink.urlOf('c-feishu') },
      ],
    });
    expect(sink.urlOf('c-feishu')).toBe(`${sink.url}/open-apis/bot/v2/hook/c-feishu-hook`);
  });

  it('POST /_sink/robots/{id}/fail?times=2&how=http500 queues two HTTP 500 answers', async () => {
    // Act
    const queued = await control('POST', '/_sink/robots/c-wecom/fail?times=2&how=http500');
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push((await post(sink.urlOf('c-wecom'), wecomText)).status);
    // Assess
    expect(queued).toEqual({ status: 200, body: { ok: true, pending: 2 } });
    expect(answers).toEqual([500, 500, 200]);
  });

  it('POST /_sink/robots/{id}/rate-limit?times=1 queues one rate-limit answer', async () => {
    // Act
    const queued = await control('POST', '/_sink/robots/c-feishu/rate-limit?times=1');
    const limited = await post(sink.urlOf('c-feishu'), { msg_type: 'text', content: { text: '村报' } });
    // Assess
    expect(queued.status).toBe(200);
    expect(limited.body.code).toBe(11232);
  });

  it('GET /_sink/received and /_sink/rejected list what came, all or for one ?robot=', async () => {
    // Prepare
    await post(sink.urlOf('c-wecom'), wecomText);
    await post(sink.urlOf('c-feishu'), { msg_type: 'text', content: { text: '村报' } });
    await post(sink.urlOf('c-wecom'), { msgtype: 'text', text: { content: '' } });
    // Act
    const all = await control('GET', '/_sink/received');
    const wecomOnly = await control('GET', '/_sink/received?robot=c-wecom');
    const rejected = await control('GET', '/_sink/rejected');
    // Assess
    expect(all.body).toEqual(JSON.parse(JSON.stringify(sink.received())));
    expect(wecomOnly.body).toMatchObject([{ robot: 'c-wecom', kind: 'wecom', body: wecomText }]);
    expect(rejected.body).toMatchObject([{ robot: 'c-wecom', kind: 'wecom', status: 200, answer: { errcode: 44004 } }]);
  });

  it('POST /_sink/reset forgets the queued faults and what came (the files stay)', async () => {
    // Prepare
    await post(sink.urlOf('c-wecom'), wecomText);
    sink.fail('c-wecom', 5, 'http500');
    const [notice] = sink.received();
    // Act
    const answer = await control('POST', '/_sink/reset');
    const after = await post(sink.urlOf('c-wecom'), wecomText);
    // Assess
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    expect(after.status).toBe(200);
    expect(sink.received()).toHaveLength(1);
    expect(fileOf(notice!)).toMatchObject({ robot: 'c-wecom' });
  });

  it('answers 400 to a bad how or times, 404 to an unknown robot or control route', async () => {
    // Act
    const answers = [
      await control('POST', '/_sink/robots/c-wecom/fail?times=2&how=slow'),
      await control('POST', '/_sink/robots/c-wecom/rate-limit?times=-1'),
      await control('POST', '/_sink/robots/nobody/fail?times=1&how=http500'),
      await control('POST', '/_sink/robots/c-wecom/explode'),
    ];
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 404, 404]);
  });
});

describe("the sink's bounds and configuration", () => {
  const robot: SinkRobot = { id: 'b-wecom', kind: 'wecom', token: 'b-wecom-key' };
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink({ dataDir: join(root, 'bounds'), robots: [robot] });
  });
  afterAll(() => sink.stop());

  it('answers 413 to a body over 1 MiB, and goes on serving', async () => {
    // Act
    const tooLarge = await post(sink.urlOf('b-wecom'), 'a'.repeat(1024 * 1024 + 1));
    const next = await post(sink.urlOf('b-wecom'), { msgtype: 'text', text: { content: '村报' } });
    // Assess
    expect(tooLarge.status).toBe(413);
    expect(next.body.errcode).toBe(0);
  });

  it('answers 404 to an unknown path and 405 to a GET on a webhook', async () => {
    // Act
    const unknown = await fetch(`${sink.url}/robot/sendx`, { method: 'POST', body: '{}' });
    const get = await fetch(sink.urlOf('b-wecom'));
    // Assess
    expect(unknown.status).toBe(404);
    expect(get.status).toBe(405);
  });

  it('refuses a robot configuration with a bad or repeated id, or a token used twice on one platform', async () => {
    // Prepare
    const dataDir = join(root, 'config');
    // Act / Assess
    await expect(startWebhookSink({ dataDir, robots: [{ ...robot, id: '../x' }] })).rejects.toThrow(/robot id/);
    await expect(startWebhookSink({ dataDir, robots: [robot, { ...robot, token: 'other' }] })).rejects.toThrow(/twice/);
    await expect(startWebhookSink({ dataDir, robots: [robot, { ...robot, id: 'b-2' }] })).rejects.toThrow(/token already used/);
    await expect(startWebhookSink({ dataDir, robots: [robot], limitPerMinute: 0 })).rejects.toThrow(/limitPerMinute/);
  });
});
