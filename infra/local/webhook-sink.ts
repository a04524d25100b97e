/**
 * The local group-robot server: a real HTTP server on 127.0.0.1 that answers as the webhooks
 * of the three Chinese group robots do — WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) —
 * so that the project's senders (shared/notices/) are tested against an implementation of
 * the protocols written independently of them, from the platforms' documentation and from
 * answers recorded in public code. Every message it accepts is kept as a JSON file, as the
 * mail sink keeps `.eml` files.
 *
 * Routes (the platforms' paths; the host is the only difference):
 *   WeCom     POST /cgi-bin/webhook/send?key={token}
 *   DingTalk  POST /robot/send?access_token={token}[&timestamp={ms}&sign={sign}]
 *   Feishu    POST /open-apis/bot/v2/hook/{token}   (timestamp and sign in the JSON body)
 * The platforms answer HTTP 200 with an error code in the body for every business refusal,
 * and so does the sink: a sender must read the body, not only the status.
 *
 * What is verified (refusal → answer) and each platform's rate limit are told with its
 * protocol: infra/local/webhook-sink/wecom.ts, dingtalk.ts, feishu.ts.
 *
 * The order, for a request that reaches a configured robot: the queued faults, then the rate
 * limit, then the platform’s checks (told in its file), in the order given.
 *
 * Rate limits: each robot, a rolling window, answered with the platform's rate-limit body
 * (per platform in its file).
 *   `limitPerMinute` replaces the per-minute number for every robot (a test lowers it);
 *   Feishu's 5 a second and DingTalk's block stay. Only accepted messages count, except on
 *   WeCom as said. Time is `now()`, so a test moves an injected clock.
 *
 * Faults on demand, in process (`fail`, `rateLimit`) or from another process through the
 * control routes, queued per robot in the order given, one per request that reaches the robot:
 *   http500 — HTTP 500 with an HTML page (a gateway's answer, not JSON);
 *   error   — the platform's "system busy" body: WeCom -1 "system busy", DingTalk -1 "系统繁忙"
 *             (both the global error-code tables' -1), Feishu 1500 "internal error" (the open
 *             platform's server error table: "内部错误，请稍后重试"; 9499 is Feishu's "Bad
 *             Request", a client error, so not used for this);
 *   hang    — no answer until the client gives up (or 5 minutes, or stop());
 *   rateLimit(times) — the platform's rate-limit body.
 *   POST /_sink/robots/{id}/fail?times=2&how=http500   POST /_sink/robots/{id}/rate-limit?times=1
 *   GET  /_sink/received[?robot=id]   GET /_sink/rejected[?robot=id]   GET /_sink/robots
 *   POST /_sink/reset   (memory only: faults, limits, received, rejected; files stay)
 *
 * Each accepted message is written to `{dataDir}/notices/{receivedAt}-{seq}-{robot}.json`
 * (receivedAt with milliseconds, `:` and `.` as `-`; seq a six-digit arrival number, before
 * the robot so that two messages of the same millisecond still sort by arrival), content
 * `{ robot, kind, receivedAt, body }`, written under another name and renamed, before the
 * success answer: when the sender has its ok, the file is there. Refused requests are kept
 * in memory only (`rejected()`).
 *
 * Bounds: a request body over 1 MiB → HTTP 413; a request must arrive within 15 s (headers
 * 10 s); a hung answer is dropped after 5 minutes and on stop().
 *
 * Sources: WeCom developer.work.weixin.qq.com/document/path/91770 (群机器人配置说明) and
 * /96213 (全局错误码); DingTalk open.dingtalk.com "自定义机器人发送群消息" / "自定义机器人安全设置"
 * and the global error codes; Feishu open.feishu.cn "自定义机器人使用指南"
 * (ucTM5YjL3ETO24yNxkjN) and "服务端错误码说明"; answers recorded in public code and issues
 * where the docs give no body (quoted above where they differ from the docs).
 */
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dingtalk } from './webhook-sink/dingtalk.ts';
import { feishu } from './webhook-sink/feishu.ts';
import {
  isRecord,
  type Json,
  type Limits,
  MINUTE_MS,
  nonEmpty,
  type Platform,
  parseJson,
  type SinkRequest,
} from './webhook-sink/protocol.ts';
import { wecom } from './webhook-sink/wecom.ts';

type SinkRobotKind = 'wecom' | 'dingtalk' | 'feishu';
type SinkFault = 'http500' | 'error' | 'hang';

export interface SinkRobot {
  /** Names the robot in files and routes: letters, digits, `_`, `.`, `-`. */
  readonly id: string;
  readonly kind: SinkRobotKind;
  /** WeCom `key`, DingTalk `access_token`, Feishu hook token. */
  readonly token: string;
  /** DingTalk (`SEC…`) or Feishu signing secret: requests must then be signed. */
  readonly signingSecret?: string;
  /** DingTalk / Feishu keyword security: every message must contain it. */
  readonly keyword?: string;
}

/** An accepted message, as written to its file (plus the file's path). */
export interface SinkNotice {
  readonly robot: string;
  readonly kind: SinkRobotKind;
  readonly receivedAt: string;
  readonly body: unknown;
  readonly file: string;
}

/** A refused request: what was answered, and the body as received (parsed when JSON). */
interface SinkRejection {
  /** null when no configured robot has the token. */
  readonly robot: string | null;
  readonly kind: SinkRobotKind;
  readonly receivedAt: string;
  /** The HTTP status answered; 0 for a hang. */
  readonly status: number;
  /** The JSON answered (the HTML text for http500, null for a hang). */
  readonly answer: unknown;
  readonly body: unknown;
}

export interface WebhookSinkOptions {
  readonly dataDir: string;
  readonly robots: readonly SinkRobot[];
  /** Replaces each platform's per-minute limit (20 / 20 / 100) for every robot. */
  readonly limitPerMinute?: number;
  readonly now?: () => Date;
  /** Default: any free port. */
  readonly port?: number;
}

export interface WebhookSink {
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  /** The robot's webhook URL, without signature parameters (the sender adds them). */
  urlOf(robotId: string): string;
  fail(robotId: string, times: number, how: SinkFault): void;
  rateLimit(robotId: string, times: number): void;
  received(robotId?: string): SinkNotice[];
  rejected(robotId?: string): SinkRejection[];
  reset(): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Drained (not kept) past the cap, so that the client reads the 413 rather than a reset. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;
const HANG_MAX_MS = 5 * 60_000;
const ROBOT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const PLATFORMS: Readonly<Record<SinkRobotKind, Platform>> = { wecom, dingtalk, feishu };

// ── The server ──────────────────────────────────────────────────────────────────────────

/** `2025-04-03T01-00-00-123Z`: sorts by time, and no `:` (which Windows file names refuse). */
const stamp = (date: Date) => date.toISOString().replace(/:/g, '-').replace('.', '-');

type Pending = { readonly kind: 'fault'; readonly how: SinkFault } | { readonly kind: 'rate-limit' };

interface RobotState {
  readonly pending: Pending[];
  /** When each counted request arrived (ms). */
  hits: number[];
  blockedUntil: number;
  readonly deliveredUuids: Set<string>;
}

const freshState = (): RobotState => ({ pending: [], hits: [], blockedUntil: 0, deliveredUuids: new Set() });

const FAULTS: readonly SinkFault[] = ['http500', 'error', 'hang'];
const HTTP_500_PAGE =
  '<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n';

function checkTimes(times: number): void {
  if (!Number.isInteger(times) || times < 1 || times > 10_000) throw new Error(`times must be an integer from 1 to 10000, not ${times}`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body, or null when it is over the cap (then drained up to MAX_DRAIN_BYTES, not kept). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null));
    req.on('error', reject);
    req.on('close', () => resolve(null)); // destroyed: no effect once 'end' has resolved
  });
}

/** Which platform a webhook path is, and the token it carries. */
function routeOf(url: URL): { kind: SinkRobotKind; token: string } | null {
  if (url.pathname === '/cgi-bin/webhook/send') return { kind: 'wecom', token: url.searchParams.get('key') ?? '' };
  if (url.pathname === '/robot/send') return { kind: 'dingtalk', token: url.searchParams.get('access_token') ?? '' };
  const feishuHook = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(url.pathname);
  if (feishuHook) return { kind: 'feishu', token: decoded(feishuHook[1]!) };
  return null;
}

/** A malformed %-escape is a token no robot has, not a sink error. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function startWebhookSink(options: WebhookSinkOptions): Promise<WebhookSink> {
  const now = options.now ?? (() => new Date());
  const dir = join(options.dataDir, 'notices');
  mkdirSync(dir, { recursive: true });
  if (options.limitPerMinute !== undefined && !(Number.isInteger(options.limitPerMinute) && options.limitPerMinute > 0)) {
    throw new Error(`limitPerMinute must be a positive integer, not ${options.limitPerMinute}`);
  }

  const robots = new Map<string, SinkRobot>();
  const byToken = new Map<string, SinkRobot>();
  for (const robot of options.robots) {
    if (!ROBOT_ID.test(robot.id)) throw new Error(`robot id ${JSON.stringify(robot.id)}: letters, digits, _ . - only`);
    if (robots.has(robot.id)) throw new Error(`robot id ${robot.id} given twice`);
    if (!PLATFORMS[robot.kind]) throw new Error(`robot ${robot.id}: unknown kind ${String(robot.kind)}`);
    if (!robot.token) throw new Error(`robot ${robot.id}: no token`);
    const key = `${robot.kind} ${robot.token}`;
    if (byToken.has(key)) throw new Error(`robot ${robot.id}: token already used by ${byToken.get(key)!.id}`);
    robots.set(robot.id, robot);
    byToken.set(key, robot);
  }

  const states = new Map<string, RobotState>();
  const stateOf = (id: string) => {
    const state = states.get(id) ?? freshState();
    states.set(id, state);
    return state;
  };
  let notices: SinkNotice[] = [];
  let rejections: SinkRejection[] = [];
  /** Never reset: file names stay unique across reset(). */
  let seq = 0;
  const hung = new Set<ServerResponse>();
  let base = '';

  const robotNamed = (id: string): SinkRobot => {
    const robot = robots.get(id);
    if (!robot) throw new Error(`no robot ${id} in this sink`);
    return robot;
  };

  const limitsOf = (robot: SinkRobot): Limits => {
    const limits = PLATFORMS[robot.kind].limits;
    return options.limitPerMinute === undefined ? limits : { ...limits, perMinute: options.limitPerMinute };
  };

  /** Whether the robot is over its limit now (and, on DingTalk, blocks it). */
  const overLimit = (robot: SinkRobot, at: number): boolean => {
    const state = stateOf(robot.id);
    const limits = limitsOf(robot);
    if (state.blockedUntil > at) return true;
    state.hits = state.hits.filter((hit) => hit > at - MINUTE_MS);
    const lastSecond = state.hits.filter((hit) => hit > at - 1000).length;
    if (state.hits.length >= limits.perMinute || (limits.perSecond !== undefined && lastSecond >= limits.perSecond)) {
      if (limits.blockMs > 0) state.blockedUntil = at + limits.blockMs;
      return true;
    }
    return false;
  };

  const reject = (res: ServerResponse, robot: SinkRobot | null, kind: SinkRobotKind, request: SinkRequest, answer: Json): void => {
    const parsed = parseJson(request.raw);
    rejections.push({
      robot: robot?.id ?? null,
      kind,
      receivedAt: request.now.toISOString(),
      status: 200,
      answer,
      body: parsed === undefined ? request.raw.toString('utf8') : parsed,
    });
    sendJson(res, 200, answer);
  };

  const fault = (res: ServerResponse, robot: SinkRobot, request: SinkRequest, how: SinkFault): void => {
    const platform = PLATFORMS[robot.kind];
    const parsed = parseJson(request.raw);
    const body = parsed === undefined ? request.raw.toString('utf8') : parsed;
    const receivedAt = request.now.toISOString();
    if (how === 'error') return reject(res, robot, robot.kind, request, platform.busy(request));
    if (how === 'http500') {
      rejections.push({ robot: robot.id, kind: robot.kind, receivedAt, status: 500, answer: HTTP_500_PAGE, body });
      res.writeHead(500, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(HTTP_500_PAGE) });
      res.end(HTTP_500_PAGE);
      return;
    }
    rejections.push({ robot: robot.id, kind: robot.kind, receivedAt, status: 0, answer: null, body });
    hung.add(res);
    const timer = setTimeout(() => res.destroy(), HANG_MAX_MS);
    timer.unref();
    res.on('close', () => {
      clearTimeout(timer);
      hung.delete(res);
    });
  };

  const accept = async (res: ServerResponse, robot: SinkRobot, request: SinkRequest): Promise<void> => {
    const body = parseJson(request.raw);
    const state = stateOf(robot.id);
    const uuid = robot.kind === 'dingtalk' && isRecord(body) && nonEmpty(body.msgUuid) ? body.msgUuid : null;
    if (uuid !== null && state.deliveredUuids.has(uuid)) return sendJson(res, 200, PLATFORMS.dingtalk.ok); // a retry, already delivered
    if (uuid !== null) state.deliveredUuids.add(uuid);
    // Counted and numbered now, synchronously: concurrent requests keep their arrival order.
    state.hits.push(request.now.getTime());
    seq += 1;
    const receivedAt = request.now.toISOString();
    const name = `${stamp(request.now)}-${String(seq).padStart(6, '0')}-${robot.id}`;
    const file = join(dir, `${name}.json`);
    const notice: SinkNotice = { robot: robot.id, kind: robot.kind, receivedAt, body, file };
    notices.push(notice);
    const partial = join(dir, `.${name}.partial`);
    try {
      await writeFile(partial, `${JSON.stringify({ robot: robot.id, kind: robot.kind, receivedAt, body }, null, 2)}\n`);
      await rename(partial, file);
    } catch (error) {
      notices = notices.filter((kept) => kept !== notice);
      return sendJson(res, 500, { error: `the sink could not write ${file}: ${(error as Error).message}` });
    }
    sendJson(res, 200, PLATFORMS[robot.kind].ok);
  };

  const webhook = async (req: IncomingMessage, res: ServerResponse, kind: SinkRobotKind, token: string, url: URL) => {
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { Allow: 'POST', 'Content-Length': 0 });
      return res.end();
    }
    const raw = await readBody(req);
    if (raw === null) {
      res.writeHead(413, { Connection: 'close', 'Content-Length': 0 });
      return res.end();
    }
    const request: SinkRequest = {
      raw,
      query: url.searchParams,
      contentType: req.headers['content-type'] ?? '',
      ip: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      now: now(),
    };
    const platform = PLATFORMS[kind];
    const robot = byToken.get(`${kind} ${token}`);
    if (!robot) return reject(res, null, kind, request, platform.unknownToken(request));
    const state = stateOf(robot.id);
    const pending = state.pending.shift();
    if (pending?.kind === 'fault') return fault(res, robot, request, pending.how);
    if (pending?.kind === 'rate-limit') return reject(res, robot, kind, request, platform.rateLimited(request));
    if (overLimit(robot, request.now.getTime())) return reject(res, robot, kind, request, platform.rateLimited(request));
    const refusal = platform.check(robot, request);
    if (refusal) {
      if (limitsOf(robot).countsRefused) state.hits.push(request.now.getTime());
      return reject(res, robot, kind, request, refusal);
    }
    await accept(res, robot, request);
  };

  const sink: WebhookSink = {
    get url() {
      return base;
    },
    urlOf(robotId) {
      const robot = robotNamed(robotId);
      const token = encodeURIComponent(robot.token);
      if (robot.kind === 'wecom') return `${base}/cgi-bin/webhook/send?key=${token}`;
      if (robot.kind === 'dingtalk') return `${base}/robot/send?access_token=${token}`;
      return `${base}/open-apis/bot/v2/hook/${token}`;
    },
    fail(robotId, times, how) {
      robotNamed(robotId);
      checkTimes(times);
      if (!FAULTS.includes(how)) throw new Error(`how must be one of ${FAULTS.join(', ')}, not ${String(how)}`);
      for (let i = 0; i < times; i += 1) stateOf(robotId).pending.push({ kind: 'fault', how });
    },
    rateLimit(robotId, times) {
      robotNamed(robotId);
      checkTimes(times);
      for (let i = 0; i < times; i += 1) stateOf(robotId).pending.push({ kind: 'rate-limit' });
    },
    received: (robotId) => notices.filter((notice) => robotId === undefined || notice.robot === robotId),
    rejected: (robotId) => rejections.filter((rejection) => robotId === undefined || rejection.robot === robotId),
    reset() {
      states.clear();
      notices = [];
      rejections = [];
    },
    async stop() {
      for (const res of hung) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  /** The control routes: the same operations for a test in another process. */
  const control = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    req.resume();
    const robotParam = url.searchParams.get('robot') ?? undefined;
    const path = url.pathname;
    if (req.method === 'GET' && path === '/_sink/robots') {
      return sendJson(
        res,
        200,
        [...robots.values()].map((robot) => ({ id: robot.id, kind: robot.kind, url: sink.urlOf(robot.id) })),
      );
    }
    if (req.method === 'GET' && path === '/_sink/received') return sendJson(res, 200, sink.received(robotParam));
    if (req.method === 'GET' && path === '/_sink/rejected') return sendJson(res, 200, sink.rejected(robotParam));
    if (req.method === 'POST' && path === '/_sink/reset') {
      sink.reset();
      return sendJson(res, 200, { ok: true });
    }
    const action = /^\/_sink\/robots\/([^/]+)\/(fail|rate-limit)$/.exec(path);
    if (req.method === 'POST' && action) {
      const id = decoded(action[1]!);
      if (!robots.has(id)) return sendJson(res, 404, { error: `no robot ${id} in this sink` });
      try {
        const times = Number(url.searchParams.get('times') ?? '1');
        if (action[2] === 'fail') sink.fail(id, times, (url.searchParams.get('how') ?? '') as SinkFault);
        else sink.rateLimit(id, times);
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message });
      }
      return sendJson(res, 200, { ok: true, pending: stateOf(id).pending.length });
    }
    sendJson(res, 404, { error: `no control route ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(url);
    const handled = url.pathname.startsWith('/_sink/')
      ? control(req, res, url)
      : route
        ? webhook(req, res, route.kind, route.token, url)
        : Promise.resolve(sendJson(res, 404, { error: `no route ${url.pathname}` }));
    handled.catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: error.message });
      else res.destroy();
    });
  });
  // Bounded: a slow client cannot hold a request open (the answer to a hang is not bounded by these).
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // An error on one connection (a client that vanished) must not stop the sink.
  server.on('error', () => {});
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}
