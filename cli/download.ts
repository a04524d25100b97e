/**
 * Where a file a command makes goes (a template, a summary as CSV or a workbook): to
 * `--out FILE`, or to stdout — but a workbook's bytes never to a terminal, where they
 * would be garbage: the user is told to name a file or redirect.
 */
import { writeFile } from 'node:fs/promises';
import { UsageError } from './environment.ts';
import type { Out } from './output.ts';

export async function deliver(out: Out, content: string | Uint8Array, file: string | undefined): Promise<void> {
  if (file !== undefined) {
    await writeFile(file, content).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`无法写入文件 ${file} (cannot write): ${e.code ?? e.message}`);
    });
    out.stderr(`已写入 ${file} (written)\n`);
    return;
  }
  if (typeof content === 'string') return out.stdout(content);
  if (out.terminal || !out.stdoutBytes)
    throw new UsageError(
      'Excel 文件是二进制内容，不能输出到终端：请加 --out 文件名.xlsx，或重定向到文件（> 文件名.xlsx）。 (binary output: give --out FILE or redirect stdout)',
    );
  out.stdoutBytes(content);
}
