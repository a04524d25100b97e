/**
 * The notices of the pipeline's events, with ids derived from the events: the day-3
 * reminder of a town (and the district's overview), a publication or a correction after
 * publication (a revision after the first), a return of a unit's month. What the text
 * says is the mails' (shared/mail/parts.ts, shared/summary-text.ts), shorter.
 */
import { chineseDeadline, chineseMonth, type Month } from '../period.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { ReportingUnit as Unit, Registry } from '../registry.ts';
import { approvedLine, completenessLine, missingNames, scopeOf, unitNameOf } from '../summary-text.ts';
import { changeLines, figureLine, figuresHeading, keyFigures, pageHref, periodTitle, revisionNote } from '../mail/parts.ts';
import type { Notice } from './notice.ts';

const withLink = (notice: Omit<Notice, 'link'>, link: string | undefined): Notice => (link ? { ...notice, link } : notice);

/** A town's 催报: its units that have not sent the month, by code and name. */
export function reminderNotice(town: string, period: Month, missing: readonly Unit[], registry: Registry, pageUrl?: string): Notice {
  const name = registry.findTown(town)?.name ?? town;
  const deadline = chineseDeadline(period, registry.deadlineDay);
  return withLink(
    {
      id: `remind/${town}/${period}`,
      kind: 'remind',
      org: town,
      title: `催报：${name}${chineseMonth(period)}尚有 ${missing.length} 个单位未报送`,
      sections: [
        { lines: [`${name}${chineseMonth(period)}法治统计月报截止日期为 ${deadline}，以下单位尚未报送，请尽快上传：`] },
        { heading: '未报单位', lines: missing.map((u) => `${u.code} ${u.name}`) },
      ],
    },
    pageHref(pageUrl, town, period),
  );
}

/** The district's overview of the day-3 reminders: each town's missing units by name. */
export function districtReminderNotice(
  period: Month,
  missingByTown: ReadonlyMap<string, readonly Unit[]>,
  registry: Registry,
  pageUrl?: string,
): Notice {
  const district = registry.district;
  const towns = [...missingByTown].filter(([, units]) => units.length > 0);
  const total = towns.reduce((n, [, units]) => n + units.length, 0);
  return withLink(
    {
      id: `remind/${district.code}/${period}`,
      kind: 'remind',
      org: district.code,
      title: `催报：${district.name}${chineseMonth(period)}尚有 ${total} 个单位未报送`,
      sections: [
        {
          heading: `${towns.length} 个镇（街道）有未报单位`,
          lines: towns.map(([town, units]) => `${registry.findTown(town)?.name ?? town}：${units.map((u) => u.name).join('、')}`),
        },
      ],
    },
    pageHref(pageUrl, district.code, period),
  );
}

/** A published revision: the first is a publication, a later one a correction after publication. */
export function publicationNotice(summary: PublishedSummary, registry: Registry, pageUrl?: string): Notice {
  const kind = summary.revision > 1 ? 'correction' : 'publish';
  const c = summary.completeness;
  const scope = scopeOf(summary);
  const names = summary.level === 'district' ? undefined : missingNames(summary, c.missing, (key) => unitNameOf(registry, summary, key));
  const approved = approvedLine(c, scope);
  const figures = keyFigures(summary);
  const changes = changeLines(summary, registry);
  return withLink(
    {
      id: `${kind}/${summary.org}/${summary.kind}/${summary.period}/r${summary.revision}`,
      kind,
      org: summary.org,
      title: `${periodTitle(summary, registry)}${revisionNote(summary)}`,
      sections: [
        { heading: '报送情况', lines: [completenessLine(c, names, scope), ...(approved ? [approved] : [])] },
        { heading: figuresHeading(figures).replace(/：$/, ''), lines: figures.rows.map((r) => figureLine(r).trim()) },
        ...(summary.flags?.length ? [{ heading: '需要核对的数字', lines: summary.flags.map((f) => f.message) }] : []),
        ...(changes.length ? [{ heading: `本版更正（较第${summary.revision - 1}版）`, lines: changes }] : []),
      ],
    },
    pageHref(pageUrl, summary.org, summary.period),
  );
}

/** A unit's month returned by the town clerk, with the reason: the secretary corrects and sends again. */
export function returnNotice(
  returned: { readonly unit: string; readonly period: Month; readonly version: number; readonly at: string; readonly reason?: string },
  registry: Registry,
  pageUrl?: string,
): Notice {
  const unit = registry.get(returned.unit);
  const town = unit?.town ?? returned.unit.split('/')[0]!;
  const name = unit ? `${registry.findTown(town)?.name ?? town}${unit.name}` : returned.unit;
  return withLink(
    {
      id: `return/${returned.unit}/${returned.period}/v${returned.version}/${returned.at}`,
      kind: 'return',
      org: town,
      title: `退回：${name}${chineseMonth(returned.period)}月报（第${returned.version}版）`,
      sections: [{ lines: [`退回原因：${returned.reason ?? '（未说明）'}`, '请核对后更正并重新上传。'] }],
    },
    pageHref(pageUrl, town, returned.period),
  );
}
