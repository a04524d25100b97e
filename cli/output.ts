/**
 * Where a command writes: its results on stdout (Chinese prose, or JSON lines with
 * `--json`), everything else on stderr; progress only when stderr is a terminal, on one
 * line that each step overwrites, so that logs and pipes get none of it.
 */
export interface Out {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Bytes on stdout (a workbook); absent: this output takes text only. */
  stdoutBytes?(b: Uint8Array): void;
  /** Whether stdout is a terminal (binary output is refused there). */
  readonly terminal?: boolean;
  /** Shows a transient status line (a terminal only); '' clears it. */
  progress?(s: string): void;
}

export const processOut: Out = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  stdoutBytes: (b) => void process.stdout.write(b),
  terminal: !!process.stdout.isTTY,
  ...(process.stderr.isTTY ? { progress: (s: string) => void process.stderr.write(`\r\x1b[K${s}`) } : {}),
};

/** A counter for `total` steps: `label 3/10`, cleared once done. */
export function steps(out: Out, label: string, total: number): { step(): void; done(): void } {
  let count = 0;
  const show = () => out.progress?.(`${label} ${count}/${total}`);
  if (total > 0) show();
  return {
    step: () => {
      count++;
      show();
    },
    done: () => out.progress?.(''),
  };
}

/** One JSON line per item, or the Chinese text: what `--json` chooses. */
export function print(out: Out, json: unknown, items: readonly unknown[], text: () => string): void {
  if (json) for (const item of items) out.stdout(JSON.stringify(item) + '\n');
  else out.stdout(text());
}
