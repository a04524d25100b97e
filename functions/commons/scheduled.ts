/**
 * What a scheduled run tells the operator: a line per publication and per reminder, each
 * with its notices' outcomes, a publication with the uploads it counts anew as correlation
 * ids (the same ids the API and the ingest logged); and the publications and notices metrics.
 */
import type { NoticeOutcome } from '../../shared/notices/dispatch.ts';
import type { PublishResult, Revision } from '../../shared/publish/publish.ts';
import type { ActionResult } from '../../shared/publish/schedule.ts';
import type { Log } from './log.ts';
import type { Metrics } from './metrics.ts';

/** The uploads of each revision stored during a run, told by the publisher (PublishDeps.onRevision). */
export class RevisionUploads {
  readonly #uploads = new Map<string, readonly string[]>();

  readonly record = (revision: Revision): void => {
    this.#uploads.set(keyOf(revision), revision.uploads);
  };

  of(result: PublishResult): readonly string[] {
    return this.#uploads.get(keyOf(result)) ?? [];
  }
}

const keyOf = (r: Pick<Revision, 'org' | 'kind' | 'period' | 'revision'>) => `${r.org}/${r.kind}/${r.period}/${r.revision}`;

/** Counts one notice's channels: the mail when sent, each robot sent, each channel failed after its retries. */
function countNotices(
  metrics: Metrics,
  mailed: boolean,
  robots: readonly NoticeOutcome[] = [],
  failed: readonly NoticeOutcome[] = [],
): void {
  const sent = (mailed ? 1 : 0) + robots.filter((o) => o.status === 'sent').length;
  if (sent) metrics.add('noticesSent', sent);
  if (failed.length) metrics.add('noticesFailed', failed.length);
}

export function reportScheduled(log: Log, metrics: Metrics, results: readonly ActionResult[], revisions: RevisionUploads): void {
  for (const result of results) {
    if (result.action === 'remind') {
      log('info', 'reminded', { ...result });
      countNotices(metrics, result.mailed, result.robots, result.failed);
      continue;
    }
    for (const published of result.results) {
      const uploads = revisions.of(published);
      const level = published.failed?.length ? 'warn' : 'info';
      log(level, 'publication', { at: result.at, ...published, ...(uploads.length ? { correlationIds: uploads } : {}) });
      if (published.published) metrics.add('summariesPublished');
      countNotices(metrics, published.mailed, published.robots, published.failed);
    }
    log('info', 'scheduled', { action: result.action, at: result.at, publications: result.results.length });
  }
}
