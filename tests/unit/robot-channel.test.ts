/**
 * A robot's channel (shared/notices/channels.ts) against a small real HTTP server that
 * answers as WeCom does: a message split into parts, whose third part fails, is retried
 * from that part — the group does not read the first two twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robotChannel } from '../../shared/notices/channels.ts';
import type { Notice } from '../../shared/notices/notice.ts';

let server: Server;
let url = '';
const received: string[] = [];
/** The HTTP status of each next request (then 200). */
const answers: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) received.push((JSON.parse(body) as { markdown: { content: string } }).markdown.content);
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status === 200 ? '{"errcode":0,"errmsg":"ok"}' : '<html>502</html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('robotChannel', () => {
  it('retries a split message from the part that failed, not from the first', async () => {
    // Prepare: a notice of some 20 KB (WeCom takes 4 096 bytes a message): four parts or more.
    const lines = Array.from({ length: 200 }, (_, i) => `第 ${i + 1} 行：鹅池镇各村排查一般隐患，已整改，其余正在整改。`);
    const notice: Notice = { id: 'publish/EC/t/parts', kind: 'publish', org: 'EC', title: '鹅池镇长通知', sections: [{ lines }] };
    const channel = robotChannel({ id: 'w', kind: 'wecom', url, org: 'EC', events: ['publish'], perMinute: 20 }, { timeoutMs: 2_000 });
    answers.push(200, 200, 500);

    // Act
    const failed = await channel.send([{ notice }]).catch((error: Error & { partsSent?: number }) => error);
    const retried = await channel.send([{ notice }]);

    // Assess: parts 1–2, then 3 onwards once each; nothing read twice.
    expect(failed).toMatchObject({ name: 'RobotError', partsSent: 2, retryable: true });
    expect(retried.parts).toBeGreaterThanOrEqual(4);
    expect(received).toHaveLength(retried.parts);
    expect(new Set(received).size).toBe(received.length);
    expect(received.map((content) => /（(\d+)\/\d+）/.exec(content)?.[1])).toEqual(
      Array.from({ length: retried.parts }, (_, i) => String(i + 1)),
    );
  });
});
