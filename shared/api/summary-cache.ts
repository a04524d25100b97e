/**
 * Published summaries as served, kept per container: the archive's latest revision (one
 * DynamoDB GetItem) says whether the copy is current, so a correction is served at once,
 * and the bytes (an immutable `v{n}` object) are read from S3 once per revision. Bounded:
 * the oldest period is dropped beyond `capacity`.
 */
import type { SummaryKind } from '../ports/summaries.ts';
import type { Served } from './etag.ts';

/** A revision's JSON as stored, and its CSV once someone asked for it. */
interface SummaryCopy {
  readonly json: Served;
  csv?: Served;
}

export class SummaryCache {
  private readonly entries = new Map<string, { revision: number; copy: SummaryCopy }>();
  constructor(private readonly capacity = 24) {}

  get(kind: SummaryKind, period: string, revision: number): SummaryCopy | undefined {
    const hit = this.entries.get(`${kind}/${period}`);
    return hit && hit.revision === revision ? hit.copy : undefined;
  }

  set(kind: SummaryKind, period: string, revision: number, copy: SummaryCopy): void {
    const id = `${kind}/${period}`;
    this.entries.delete(id);
    this.entries.set(id, { revision, copy });
    const oldest = this.entries.keys().next();
    if (this.entries.size > this.capacity && !oldest.done) this.entries.delete(oldest.value);
  }
}
