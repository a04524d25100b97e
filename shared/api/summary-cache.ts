/**
 * Published summaries as served, kept per container: the archive's latest revision (one
 * DynamoDB GetItem) says whether the copy is current, so a correction is served at once,
 * and the bytes (an immutable `v{n}` object) are read from S3 once per revision. Keyed by
 * org (a town's or the district's summary) as well as the period. Bounded: the oldest
 * entry is dropped beyond `capacity`.
 */
import type { SummaryKind } from '../ports/summaries.ts';
import type { Served } from './etag.ts';

/** A revision's JSON as stored, and its CSV and workbook (base64) once someone asked for them. */
interface SummaryCopy {
  readonly json: Served;
  csv?: Served;
  xlsx?: Served;
}

export class SummaryCache {
  private readonly entries = new Map<string, { revision: number; copy: SummaryCopy }>();
  // 24 periods of a few orgs: a district's officer clicks through its towns.
  constructor(private readonly capacity = 96) {}

  get(org: string, kind: SummaryKind, period: string, revision: number): SummaryCopy | undefined {
    const hit = this.entries.get(`${org}/${kind}/${period}`);
    return hit && hit.revision === revision ? hit.copy : undefined;
  }

  set(org: string, kind: SummaryKind, period: string, revision: number, copy: SummaryCopy): void {
    const id = `${org}/${kind}/${period}`;
    this.entries.delete(id);
    this.entries.set(id, { revision, copy });
    const oldest = this.entries.keys().next();
    if (this.entries.size > this.capacity && !oldest.done) this.entries.delete(oldest.value);
  }
}
