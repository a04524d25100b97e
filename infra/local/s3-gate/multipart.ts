/**
 * The multipart/form-data body of a POST Object, read as S3 reads it: the fields up to the
 * file (at most 20 KB of them, each name once), then exactly one file; what follows the
 * file is ignored. The fields are checked (by the caller) before any byte of the file is
 * kept, and the file is refused as soon as it passes its maximum, so a refused upload is
 * never held in memory. After a refusal the rest of the body is read and dropped (up to a
 * bound), so that a client still sending sees the answer.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { checkFileSize, type FormField, type FormFields, type SizeRange } from './post-policy.ts';
import { entityTooLarge, internalError, invalidArgument, malformedPost, s3Refusal, type Checked, type S3Refusal } from './refusal.ts';

/** S3: the fields before the file may not exceed 20 KB. */
const MAX_PRE_DATA_BYTES = 20 * 1024;
/** A text (not file) `file` part is buffered by busboy up to this size. */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;
/** After a refusal, what is still read (and thrown away) so that the client sees the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** What the fields before the file allow; its size range bounds the file. */
interface Sized {
  readonly size: SizeRange;
}

type PostRead<T> =
  | { readonly kind: 'complete'; readonly checked: T; readonly file: Buffer }
  | { readonly kind: 'refused'; readonly refusal: S3Refusal }
  /** The client went away: nobody to answer. */
  | { readonly kind: 'aborted' };

type CheckFields<T> = (fields: FormFields) => Promise<Checked<T>>;

export function readPostObject<T extends Sized>(req: IncomingMessage, check: CheckFields<T>): Promise<PostRead<T>> {
  return new Promise((settle) => new PostReader(req, check, settle).start());
}

class PostReader<T extends Sized> {
  private readonly fields = new Map<string, FormField>();
  private preDataBytes = 0;
  private fileSeen = false;
  private closed = false;
  private done = false;
  private read: { readonly checked: T; readonly file: Buffer } | undefined;
  private parser: busboy.Busboy | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly check: CheckFields<T>,
    private readonly settle: (outcome: PostRead<T>) => void,
  ) {}

  start(): void {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: this.req.headers, limits: { fieldSize: MAX_TEXT_FILE_BYTES, fieldNameSize: 1024 } });
    } catch {
      this.req.resume();
      return this.end({ kind: 'refused', refusal: malformedPost() });
    }
    this.parser = parser;
    parser.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
    parser.on('file', (name, stream) => this.onFile(name, stream));
    parser.on('close', () => {
      this.closed = true;
      this.finish();
    });
    parser.on('error', () => this.refuse(malformedPost()));
    this.req.on('error', () => this.end({ kind: 'aborted' }));
    this.req.pipe(parser);
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.done || this.fileSeen) return; // S3 ignores what follows the file
    const lower = name.toLowerCase();
    if (lower === 'file') {
      this.onTextFile(value, truncated);
      return;
    }
    this.preDataBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (this.preDataBytes > MAX_PRE_DATA_BYTES)
      return this.refuse(
        s3Refusal(400, 'MaxPostPreDataLengthExceededError', 'Your POST request fields preceeding the upload file was too large.'),
      );
    if (this.fields.has(lower))
      return this.refuse(invalidArgument(`Bucket POST must contain only one field named '${name}'.`, name, value));
    this.fields.set(lower, { name, value });
  }

  /** A text `file` part (no filename): its value is the content. */
  private onTextFile(value: string, truncated: boolean): void {
    this.fileSeen = true;
    if (truncated) {
      this.refuse(entityTooLarge(MAX_TEXT_FILE_BYTES + 1, MAX_TEXT_FILE_BYTES));
      return;
    }
    this.check(this.fields).then(
      (checked) => {
        if (!checked.ok) {
          this.refuse(checked.refusal);
          return;
        }
        const file = Buffer.from(value, 'utf8');
        const tooLarge = checkFileSize(checked.value.size, file.length, false);
        if (tooLarge) {
          this.refuse(tooLarge);
          return;
        }
        this.fileRead(checked.value, file);
      },
      (error: unknown) => this.refuse(internalError(error)),
    );
  }

  private onFile(name: string, stream: Readable): void {
    if (this.done || this.fileSeen || name.toLowerCase() !== 'file') return void stream.resume();
    this.fileSeen = true;
    stream.pause();
    this.check(this.fields).then(
      (checked) => {
        if (checked.ok && !this.done) {
          this.readFile(stream, checked.value);
          return;
        }
        if (!checked.ok) this.refuse(checked.refusal);
        stream.resume();
      },
      (error: unknown) => {
        this.refuse(internalError(error));
        stream.resume();
      },
    );
  }

  private readFile(stream: Readable, checked: T): void {
    const chunks: Buffer[] = [];
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      if (this.done) return;
      received += chunk.length;
      // Stop at once when the file passes the maximum: nothing more is kept.
      const tooLarge = checkFileSize(checked.size, received, false);
      if (tooLarge) {
        this.refuse(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!this.done) this.fileRead(checked, Buffer.concat(chunks, received));
    });
    stream.resume();
  }

  private fileRead(checked: T, file: Buffer): void {
    this.read = { checked, file };
    if (this.closed) this.finish();
  }

  /** Once the body is parsed and the file read (in either order): the file's minimum, then the outcome. */
  private finish(): void {
    if (this.done) return;
    if (!this.fileSeen) {
      this.refuse(invalidArgument('POST requires exactly one file upload per request.', 'file', '0'));
      return;
    }
    if (!this.read) return; // still checking: runs again when the file is read
    const tooSmall = checkFileSize(this.read.checked.size, this.read.file.length, true);
    if (tooSmall) {
      this.refuse(tooSmall);
      return;
    }
    this.end({ kind: 'complete', ...this.read });
  }

  private refuse(refusal: S3Refusal): void {
    if (this.done) return;
    this.end({ kind: 'refused', refusal });
    this.drain();
  }

  private drain(): void {
    if (this.parser) {
      this.req.unpipe(this.parser);
      this.parser.removeAllListeners();
      this.parser.on('error', () => {});
    }
    let drained = 0;
    this.req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT_BYTES) this.req.destroy();
    });
    this.req.resume();
  }

  private end(outcome: PostRead<T>): void {
    if (this.done) return;
    this.done = true;
    this.settle(outcome);
  }
}
