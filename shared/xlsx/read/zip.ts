/**
 * The ZIP container of an .xlsx, read with its limits applied before anything is parsed:
 * the entries are counted and their sizes added up from the central directory, and each
 * entry is inflated in small steps that stop as soon as the output passes what is left of
 * the budget — a zip bomb's headers may lie about sizes, its inflated bytes cannot.
 */
import { Inflate } from 'fflate';

/** Why a container cannot be read; said to people by the workbook reader. */
export type ZipProblem =
  | { readonly kind: 'corrupt'; readonly detail: string }
  | { readonly kind: 'encrypted' }
  | { readonly kind: 'too-large'; readonly limit: number };

export class ZipError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(problem.kind);
  }
}

export interface ZipLimits {
  /** Bytes all inflated entries together may reach. */
  readonly maxUnpackedBytes: number;
  readonly maxEntries: number;
}

interface Entry {
  readonly method: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** Compressed bytes pushed to the inflater at a time: at most ~8 MiB of output per step. */
const STEP = 8 * 1024;

/** The entries of a ZIP by name; `read` inflates one within the shared budget. */
export class Zip {
  private readonly entries = new Map<string, Entry>();
  private spent = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits,
  ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = findEndOfDirectory(view);
    const count = view.getUint16(end + 10, true);
    if (count > limits.maxEntries) throw new ZipError({ kind: 'too-large', limit: limits.maxUnpackedBytes });
    let at = view.getUint32(end + 16, true);
    let declared = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw corrupt('目录损坏');
      const flags = view.getUint16(at + 8, true);
      const method = view.getUint16(at + 10, true);
      const compressedSize = view.getUint32(at + 20, true);
      const declaredSize = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      const localOffset = view.getUint32(at + 42, true);
      if (flags & 1) throw new ZipError({ kind: 'encrypted' });
      if (compressedSize === 0xffffffff || localOffset === 0xffffffff) throw corrupt('ZIP64 格式');
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      declared += declaredSize;
      if (declared > limits.maxUnpackedBytes) throw new ZipError({ kind: 'too-large', limit: limits.maxUnpackedBytes });
      this.entries.set(name, { method, compressedSize, declaredSize, localOffset });
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes, or undefined when there is no such entry. */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localOffset;
    if (at + 30 > this.bytes.length || view.getUint32(at, true) !== LOCAL) throw corrupt(`“${name}”的位置不对`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (data.length < entry.compressedSize) throw corrupt(`“${name}”不完整`);
    const budget = Math.min(entry.declaredSize, this.limits.maxUnpackedBytes - this.spent);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw corrupt(`“${name}”的压缩方式不支持`);
    const out = entry.method === STORED ? data : inflateWithin(data, budget, name);
    // More than declared is a lying header (a bomb); more than is left is too much in all.
    if (out === 'over') throw new ZipError({ kind: 'too-large', limit: this.limits.maxUnpackedBytes });
    if (out.length !== entry.declaredSize) throw corrupt(`“${name}”的大小与目录不符`);
    this.spent += out.length;
    return out;
  }
}

function corrupt(detail: string): ZipError {
  return new ZipError({ kind: 'corrupt', detail });
}

/** The End Of Central Directory record: 22 bytes plus a comment of up to 64 KiB, at the end. */
function findEndOfDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  throw corrupt('找不到 ZIP 目录，文件可能不完整');
}

/** Inflates in steps; stops once the output passes `budget` (the declared size, or what is left). */
function inflateWithin(data: Uint8Array, budget: number, name: string): Uint8Array | 'over' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > budget) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let at = 0; at < data.length && !over; at += STEP) {
      inflater.push(data.subarray(at, at + STEP), at + STEP >= data.length);
    }
  } catch {
    throw corrupt(`“${name}”无法解压`);
  }
  if (over) return 'over';
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
