/** Where the CLI writes a file it makes (cli/download.ts): a workbook never to a terminal. */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Out } from '../../cli/output.ts';

function capture(terminal: boolean) {
  const seen = { stdout: '', stderr: '', bytes: [] as Uint8Array[] };
  const out: Out = {
    stdout: (s) => {
      seen.stdout += s;
    },
    stderr: (s) => {
      seen.stderr += s;
    },
    stdoutBytes: (b) => void seen.bytes.push(b),
    terminal,
  };
  return { out, seen };
}

const ENV = { CUNBAO_NOW: '2025-04-03T09:00:00+08:00' };

describe('cunbao template --format xlsx', () => {
  it('refuses to write the workbook to a terminal, in Chinese, as a usage error', async () => {
    // Prepare
    const { out, seen } = capture(true);

    // Act
    const code = await main(['template', '--format', 'xlsx'], out, ENV);

    // Assess
    expect(code).toBe(2);
    expect(seen.bytes).toEqual([]);
    expect(seen.stderr).toContain('Excel 文件是二进制内容，不能输出到终端：请加 --out 文件名.xlsx');
  });

  it('writes the bytes to stdout that is not a terminal, and a CSV to a terminal as before', async () => {
    // Prepare
    const piped = capture(false);
    const terminal = capture(true);

    // Act
    const codes = [
      await main(['template', '--format', 'xlsx'], piped.out, ENV),
      await main(['template', '--layout', 'wide'], terminal.out, ENV),
    ];

    // Assess
    expect(codes).toEqual([0, 0]);
    expect(Buffer.from(piped.seen.bytes[0]!.subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(terminal.seen.stdout.startsWith('\ufeff单位代码,单位名称,月份,')).toBe(true);
  });
});
