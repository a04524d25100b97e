/**
 * Telling a unit's town that a month was returned: the notice to the town's robots that
 * hear returns, once (the notice's id is the decision's), sent when the decision is
 * written. The secretary reads the return and its reason on the page (the month shows
 * 已退回); the API sends no mail, whose transports would double its bundle.
 */
import type { Registry } from '../registry.ts';
import type { NoticeOutcome } from './dispatch.ts';
import { returnNotice } from './events.ts';
import { notify, type NoticeDeps } from './notify.ts';

export interface ReturnedMonth {
  readonly unit: string;
  readonly period: string;
  readonly version: number;
  readonly at: string;
  readonly reason?: string;
}

export function notifyReturn(returned: ReturnedMonth, registry: Registry, notices: NoticeDeps): Promise<NoticeOutcome[]> {
  return notify([{ notice: returnNotice(returned, registry, notices.pageUrl) }], notices, undefined);
}
