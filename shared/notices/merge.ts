/**
 * Several notices for one robot as one message: what a robot gets when more notices are
 * due than its rate limit lets through (about 20 a minute), so that none is dropped.
 */
import type { Notice, NoticeSection } from './notice.ts';

export function mergeNotices(notices: readonly Notice[]): Notice {
  if (notices.length === 1) return notices[0]!;
  const sections: NoticeSection[] = notices.map((n) => ({
    heading: n.title,
    lines: [...n.sections.flatMap((s) => [...(s.heading ? [`${s.heading}：`] : []), ...s.lines]), ...(n.link ? [`查看：${n.link}`] : [])],
  }));
  return {
    id: `merged/${notices.map((n) => n.id).join('+')}`,
    kind: notices[0]!.kind,
    org: notices[0]!.org,
    title: `村报通知（${notices.length} 条）`,
    sections,
  };
}
