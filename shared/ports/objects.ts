/**
 * The object store: the bucket, as the core sees it (S3 in AWS, s3rver locally; adapter
 * shared/adapters/s3-object-store.ts). Where things live in it is shared/layout.ts.
 */

export interface ObjectStore {
  /** The object's bytes, or undefined when there is no such object (or version). */
  get(key: string, versionId?: string): Promise<Uint8Array | undefined>;
  putJson(key: string, body: unknown): Promise<void>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Every object under a prefix, page by page. */
  objects(prefix: string): AsyncIterable<ListedObject>;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}
