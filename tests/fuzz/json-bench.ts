/**
 * The JSON reader of uploads (shared/json/parse.ts) against JSON.parse on 5 MiB of
 * records: it must stay within the same order of magnitude (reported by `npm run fuzz`).
 */
import { performance } from 'node:perf_hooks';
import { parseJson } from '../../shared/json/parse.ts';
import { DEFAULT_MAX_BYTES } from '../../shared/limits.ts';

function records(bytes: number): string {
  const items: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes - 400; i++) {
    const item = JSON.stringify({
      unit: `V0${(i % 8) + 1}`,
      period: `20${10 + Math.floor(i / 96)}-${String((i % 12) + 1).padStart(2, '0')}`,
      values: {
        general_hazards_found: i % 100,
        hazards_rectified: 3,
        disputes_resolved: { labor: 1, family: 2 },
        veteran_aid_yuan: 1500.5,
      },
      submittedBy: '红岩村 王文书',
      note: '3月数据，应急预案修订情况未统计',
    });
    items.push(item);
    size += Buffer.byteLength(item) + 1;
  }
  return `[${items.join(',')}]`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export function jsonReaderBench(runs = 9): { mib: number; parseJson: number; jsonParse: number; runs: number } {
  const text = records(DEFAULT_MAX_BYTES);
  const ours: number[] = [];
  const native: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    parseJson(text);
    ours.push(performance.now() - start);
    start = performance.now();
    JSON.parse(text);
    native.push(performance.now() - start);
  }
  return { mib: Buffer.byteLength(text) / 1024 / 1024, parseJson: median(ours), jsonParse: median(native), runs };
}
