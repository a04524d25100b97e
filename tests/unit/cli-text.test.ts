/** The Chinese texts of the stack commands (cli/text.ts) and their progress line (cli/output.ts). */
import { describe, expect, it } from 'vitest';
import { print, steps, type Out } from '../../cli/output.ts';
import { completenessReport } from '../../cli/summary-commands.ts';
import { completenessText, deadLettersText, ingestText, publishText, replayText } from '../../cli/text.ts';
import type { Finding, FindingCode } from '../../shared/findings.ts';
import { registry } from '../support/core.ts';
import { district } from '../support/district.ts';

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
      submissions: [{ unit: 'EC/V03', period: '2025-03', state: 'superseded' }],
      errors: [],
      warnings: [finding('LATE', '迟报')],
    });
    expect(text).toBe(
      'a.csv：已接收（上传编号 id-1）\n  石柱村（V03） 2025年3月：已按上传先后合并（其后还有更新的上传）\n  提醒 LATE：迟报\n',
    );
  });

  it('names a unit by its full code when the registry has several towns', () => {
    const text = ingestText(district, {
      file: 'a.csv',
      uploadId: 'id-1',
      status: 'accepted',
      submissions: [{ unit: 'SH/V05', period: '2025-03', state: 'current' }],
      errors: [],
      warnings: [],
    });
    expect(text).toBe('a.csv：已接收（上传编号 id-1）\n  新建村（SH/V05） 2025年3月：现行有效\n');
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
      { org: 'EC', kind: 'monthly', period: '2025-03', revision: 2, published: true, mailed: true },
      '鹅池镇2025年3月月报：已发布第 2 版，已发邮件。\n',
    ],
    [
      { org: 'EC', kind: 'annual', period: '2025', revision: 1, published: false, mailed: false },
      '鹅池镇2025年年报：与第 1 版相同，未发布新版本，未发邮件。\n',
    ],
    [
      { org: 'EC', kind: 'monthly', period: '2025-03', revision: 1, published: true, mailed: true, mailError: 'x@y refused' },
      '鹅池镇2025年3月月报：已发布第 1 版，部分收件人未收到：x@y refused。\n',
    ],
  ] as const)('says what publishing did: %j', (result, text) => {
    expect(publishText(registry, result)).toBe(text);
  });
});

describe('completeness', () => {
  const entry = (unit: string, firstReceivedAt: string) => ({ unit, values: {}, firstReceivedAt });

  it("names a town's missing units, and counts the late", () => {
    // Prepare: 鹅池社区 on time, 南溪村 late (after 5 April).
    const entries = [entry('EC/V01', '2025-04-01T00:00:00Z'), entry('EC/V02', '2025-04-10T00:00:00Z')];

    // Act
    const report = completenessReport(registry, registry.defaultOrg, '2025-03', entries);

    // Assess
    expect(report).toMatchObject({ org: 'EC', orgName: '鹅池镇', level: 'town', expected: 9, submitted: 2, onTime: 1, late: 1 });
    expect(report.missing[0]).toEqual({ unit: 'V03', name: '石柱村' });
    expect(report.towns).toBeUndefined();
    expect(completenessText(report)).toBe(
      '鹅池镇2025年3月报送情况：应报 9，已报 2（按时 1，迟报 1），未报 7\n  未报：石柱村、红岩村、新建村、青山村、杉岭村、大坪社区、鹅池镇本级\n',
    );
  });

  it('gives the district a row per town, each with its missing units by name', () => {
    // Prepare: SH's V08 exists from July, so in March SH expects 8.
    const entries = [entry('SH/V01', '2025-04-01T00:00:00Z')];

    // Act
    const report = completenessReport(district, district.org('QJ')!, '2025-03', entries);
    const text = completenessText(report);

    // Assess
    expect(report).toMatchObject({ org: 'QJ', level: 'district', expected: 26, submitted: 1 });
    expect(report.missing[0]).toEqual({ unit: 'EC/V01', name: '鹅池社区' });
    expect(report.towns!.map((t) => [t.code, t.expected, t.submitted, t.missing.length])).toEqual([
      ['EC', 9, 0, 9],
      ['SH', 8, 1, 7],
      ['HX', 9, 0, 9],
    ]);
    expect(report.towns![1]!.missing[0]).toEqual({ unit: 'V02', name: '中坝村' });
    expect(text).toContain('黔江区2025年3月报送情况：应报 26，已报 1（按时 1，迟报 0），未报 25');
    expect(text).toContain('石会镇（SH）\t8\t1\t1\t0\t7\t中坝村、关东村、武陵村、新建村、黎水村、复兴村、石会镇本级');
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
