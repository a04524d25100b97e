/** The Chinese texts of the stack commands (cli/text.ts) and their progress line (cli/output.ts). */
import { describe, expect, it } from 'vitest';
import { print, steps, type Out } from '../../cli/output.ts';
import { deadLettersText, ingestText, publishText, replayText } from '../../cli/text.ts';
import type { Finding, FindingCode } from '../../shared/findings.ts';
import { registry } from '../support/core.ts';

function recording(progress: boolean): Out & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    stdout: (s) => void written.push(`out:${s}`),
    stderr: (s) => void written.push(`err:${s}`),
    ...(progress ? { progress: (s: string) => void written.push(`progress:${s}`) } : {}),
  };
}

const finding = (code: FindingCode, message: string): Finding => ({ code, message, row: 2, column: '数值', value: '三' });

describe('ingestText', () => {
  it('names each unit-month of an accepted file and whether it counts', () => {
    const text = ingestText(registry, {
      file: 'a.csv',
      uploadId: 'id-1',
      status: 'accepted',
      submissions: [{ unit: 'V03', period: '2025-03', state: 'superseded' }],
      errors: [],
      warnings: [finding('LATE', '迟报')],
    });
    expect(text).toBe('a.csv：已接收（上传编号 id-1）\n  石柱村（V03） 2025年3月：已被后来的上传替换\n  提醒 LATE：迟报\n');
  });

  it('lists a rejected file’s errors', () => {
    const text = ingestText(registry, {
      file: 'b.csv',
      uploadId: 'id-2',
      status: 'rejected',
      submissions: [],
      errors: [finding('NOT_A_NUMBER', '第2行不是数字')],
      warnings: [],
    });
    expect(text).toBe('b.csv：未通过（上传编号 id-2）\n  错误 NOT_A_NUMBER：第2行不是数字\n');
  });
});

describe('publishText', () => {
  it.each([
    [
      { kind: 'monthly', period: '2025-03', revision: 2, published: true, mailed: true },
      '鹅池镇2025年3月月报：已发布第 2 版，已发邮件。\n',
    ],
    [
      { kind: 'annual', period: '2025', revision: 1, published: false, mailed: false },
      '鹅池镇2025年年报：与第 1 版相同，未发布新版本，未发邮件。\n',
    ],
    [
      { kind: 'monthly', period: '2025-03', revision: 1, published: true, mailed: true, mailError: 'x@y refused' },
      '鹅池镇2025年3月月报：已发布第 1 版，部分收件人未收到：x@y refused。\n',
    ],
  ] as const)('says what publishing did: %j', (result, text) => {
    expect(publishText(registry, result)).toBe(text);
  });
});

describe('dead letters', () => {
  it('lists each letter, and says how replaying went', () => {
    expect(deadLettersText([{ messageId: 'm1', queue: 'ingest', body: '{}', receiveCount: 3, failedAt: '2025-04-03T01:00:00.000Z' }])).toBe(
      '死信 1 条（可用 cunbao dlq replay 重新投递）：\n  m1：失败 3 次，最后于 2025-04-03T01:00:00.000Z\n',
    );
    expect(replayText(1, 0)).toBe('重新投递了 1 条死信，仍有 0 条。\n');
  });
});

describe('output', () => {
  it('counts steps on the progress line at a terminal, and clears it', () => {
    // Prepare
    const out = recording(true);

    // Act
    const counter = steps(out, '上传', 2);
    counter.step();
    counter.step();
    counter.done();

    // Assess
    expect(out.written).toEqual(['progress:上传 0/2', 'progress:上传 1/2', 'progress:上传 2/2', 'progress:']);
  });

  it('shows no progress off a terminal, and prints JSON lines or the text as --json says', () => {
    // Prepare
    const out = recording(false);

    // Act
    steps(out, '上传', 2).step();
    print(out, true, [{ a: 1 }, { b: 2 }], () => 'never');
    print(out, undefined, [{ a: 1 }], () => '中文\n');

    // Assess
    expect(out.written).toEqual(['out:{"a":1}\n', 'out:{"b":2}\n', 'out:中文\n']);
  });
});
