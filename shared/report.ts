/**
 * The annual report draft: the statistics paragraphs of the 法治政府建设工作报告 (section 一,
 * and the study figures of section 二), written in the style of the town's own report
 * (docs/DOMAIN.md#seed-report), every figure filled in from the year's annual summary: a
 * town's, or the district's (the same paragraphs, its towns' figures added up).
 *
 * Honest about what it covers (docs/DOMAIN.md#what-the-summaries-say): 全年 only when the
 * twelve months are over, else 1—11月 and 数据截至11月; the units with missing months named
 * with the months; a figure nobody reported is （未报送）, never 0, and a sentence whose
 * figures nobody reported is left out (its number given to the next); "覆盖全镇8个村（社区）"
 * counts the villages that reported literates, not the registry. Its paragraphs are numbered
 * as the seed's: (一) to (六), those without monthly figures kept for the writer to fill.
 */
import { VALUE_KEYS } from './catalogue.ts';
import { formatValue } from './numbers.ts';
import type { Org, Registry } from './registry.ts';
import { derivedOf, unitByKey, type Summary } from './summary.ts';
import { completenessLine, missingNames, unitNameOf } from './summary-text.ts';

interface ReportSection {
  readonly heading: string;
  readonly paragraphs: readonly string[];
}

/** The year's figures as a table (the .docx carries it; md and html too). */
interface ReportTable {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A chart of the report, as an SVG (shared/charts), with its title and text alternative. */
/** A Word document's media type (shared/report-docx.ts writes one). */
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface ReportChart {
  readonly title: string;
  readonly alt: string;
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

export interface ReportDraft {
  readonly title: string;
  /** For the clerk: where the figures come from and how complete they are. */
  readonly note: string;
  readonly sections: readonly ReportSection[];
  readonly table?: ReportTable;
  readonly charts?: readonly ReportChart[];
}

/** Money as the report writes it: 10 000 yuan and more in 万元 (21000 → 2.1万元). */
export function money(yuan: number): string {
  if (yuan < 10_000) return `${formatValue(yuan)}元`;
  return `${formatValue(Math.round((yuan / 10_000) * 100) / 100)}万元`;
}

/** Large counts the report gives as "more than": 1036 → 1000余 (a round number stays as it is). */
export function roughly(n: number): string {
  return n >= 100 && n % 100 !== 0 ? `${Math.floor(n / 100) * 100}余` : String(n);
}

const NOT_REPORTED = '（未报送）';
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The year's figures as sentences write them: a reported value with its unit, or （未报送）. */
class Figures {
  private readonly unreported: ReadonlySet<string>;
  constructor(private readonly summary: Summary) {
    this.unreported = new Set(summary.unreported ?? []);
  }
  reported(key: string): boolean {
    return !this.unreported.has(key);
  }
  value(key: string): number {
    return this.summary.totals[key] ?? 0;
  }
  /** `12次`, `1000余份` (rough), `2.1万元` (money), or （未报送）. */
  q(key: string, unit: string, how: 'exact' | 'rough' = 'exact'): string {
    if (!this.reported(key)) return NOT_REPORTED;
    const v = this.value(key);
    if (unit === '元') return money(v);
    return `${how === 'rough' ? roughly(v) : formatValue(v)}${unit}`;
  }
}

/** A sentence of a paragraph and the keys it states: left out when none of them was reported. */
interface Clause {
  readonly keys: readonly string[];
  readonly text: (ordinal: string) => string;
}

/** The clauses someone reported, numbered 一是, 二是 … in the order kept. */
function clauses(f: Figures, list: readonly Clause[]): string {
  return list
    .filter((c) => c.keys.some((k) => f.reported(k)))
    .map((c, i) => c.text(ORDINALS[i] ?? String(i + 1)))
    .join('');
}

/** How much of the year the summary covers: 全年, or 1—11月 with the last month due. */
function spanOf(summary: Summary): { readonly words: string; readonly last: number } {
  const months = Object.keys(summary.byMonth ?? {}).sort();
  const last = months.length ? Number(months.at(-1)!.slice(5)) : 12;
  return { words: last === 12 ? '全年' : last === 1 ? '1月' : `1—${last}月`, last };
}

/** `8个村（社区）`: the villages (a town's) or towns (the district's) that reported literates. */
function coverageOf(registry: Registry, org: Org, summary: Summary): string {
  if (org.level === 'district') {
    const towns = Object.values(summary.towns ?? {}).filter((t) => (t.totals['legal_literates'] ?? 0) > 0).length;
    return `覆盖全区${towns}个镇（街道）`;
  }
  const villages = Object.entries(summary.units).filter(
    ([key, values]) => (values['legal_literates'] ?? 0) > 0 && unitByKey(registry, org.code, key)?.type !== 'town_office',
  ).length;
  return `覆盖全镇${villages}个村（社区）`;
}

/** The words that differ between a town's report and the district's. */
function wordsOf(org: Org) {
  return org.level === 'town'
    ? { committee: '镇党委会', leaders: '镇党政班子成员', staff: '全镇干部职工' }
    : { committee: '各镇（街道）党委会', leaders: '各镇（街道）党政班子成员', staff: '各镇（街道）干部职工' };
}

/** For the clerk: the source, the coverage (months and units, the missing by name with the months), what was left out. */
function noteOf(registry: Registry, org: Org, summary: Summary, span: { words: string; last: number }): string {
  const c = summary.completeness;
  const names = missingNames(summary, c.missing, (key) => unitNameOf(registry, { org: org.code, level: org.level }, key));
  const coverage = span.last === 12 ? `数据为全年（1—12月）` : `数据截至${span.last}月（${span.words}），不是全年`;
  const none = (summary.unreported ?? []).filter((k) => !k.includes('.'));
  const left = none.length
    ? `以下指标无任何单位报送，文中写作“未报送”或不写：${none.map((k) => VALUE_KEYS.find((v) => v.key === k)?.label ?? k).join('、')}。`
    : '';
  return `本草稿由村报根据各单位${summary.period}年月报自动生成，${coverage}。报送情况：${completenessLine(c, names, 'year')}。${left}请核对后使用。`;
}

const heading = (n: number, text: string) => `（${ORDINALS[n - 1]}）${text}`;
const TO_WRITE = '（本段无月报统计数据，请结合工作实际撰写。）';

/** Section 一's six paragraphs, numbered as the seed's. */
function sectionOne(registry: Registry, org: Org, summary: Summary, f: Figures, span: string): string[] {
  const d = derivedOf(summary.totals);
  const w = wordsOf(org);
  const categories = (['land_acquisition', 'labor', 'family', 'land_transfer', 'other'] as const)
    .map((c, i) => [['征地拆迁', '劳动关系', '婚恋家庭', '土地流转', '其他'][i]!, `disputes_resolved.${c}`] as const)
    .filter(([, key]) => f.reported(key) && f.value(key) > 0);
  const rate = d.rectificationRate === null ? '（无隐患）' : `${formatValue(Math.round(d.rectificationRate * 1000) / 10)}%`;
  const petitions = f.reported('petitions_received') && f.reported('petitions_closed') ? `（办理中${d.petitionsInProgress}件）` : '';
  const escalated = f.reported('escalated_petitions')
    ? f.value('escalated_petitions') > 0
      ? `发生到市进京走访${f.value('escalated_petitions')}件`
      : '未发生到市进京走访'
    : `到市进京走访${NOT_REPORTED}`;
  const four: Clause[] = [
    {
      keys: ['major_hazards_found', 'general_hazards_found', 'hazards_rectified'],
      text: (n) =>
        `${n}是扎实开展安全生产治本攻坚三年行动，累计排查重大事故隐患${f.q('major_hazards_found', '处')}，一般隐患${f.q('general_hazards_found', '处')}，完成整改${f.q('hazards_rectified', '处')}，整改率${rate}。`,
    },
    {
      keys: ['geohazard_monitors_upgraded', 'emergency_drills', 'emergency_plans_revised'],
      text: (n) =>
        `${n}是强化自然灾害风险预防整治，完成辖区${f.q('geohazard_monitors_upgraded', '处')}地质灾害隐患点监测设备升级，开展防汛抗旱应急演练${f.q('emergency_drills', '次')}，修订完善村级应急预案${f.q('emergency_plans_revised', '份')}。`,
    },
    {
      keys: [
        'ebike_joint_enforcements',
        'ebike_shops_inspected',
        'illegal_charging_cases',
        'leaflets_distributed',
        'gas_issues_rectified',
        'gas_alarms_installed',
        'rcd_installed',
        'rectification_notices',
      ],
      text: (n) =>
        `${n}是集中整治消防安全突出问题，开展电动自行车安全隐患联合执法${f.q('ebike_joint_enforcements', '次')}，检查销售门店${f.q('ebike_shops_inspected', '家')}，查处违规充电行为${f.q('illegal_charging_cases', '起')}，发放宣传资料${f.q('leaflets_distributed', '份', 'rough')}；整改软管老化、报警器缺失等燃气安全问题${f.q('gas_issues_rectified', '项')}，安装燃气报警器${f.q('gas_alarms_installed', '户')}；安装居民自建房防范电气火灾漏电保护器${f.q('rcd_installed', '个')}；下达整改通知书${f.q('rectification_notices', '份')}。`,
    },
    {
      keys: ['traffic_violations', 'road_hazards_found', 'road_hazards_fixed', 'warning_signs_added'],
      text: (n) =>
        `${n}是常态化开展道路交通安全路检路查，查处超载、酒驾等违法行为${f.q('traffic_violations', '起')}，排查临水临崖道路安全隐患${f.q('road_hazards_found', '处')}，整治${f.q('road_hazards_fixed', '处')}，增设道路安全警示标志${f.q('warning_signs_added', '个')}。`,
    },
    {
      keys: ['food_units_inspected', 'food_hazards_found', 'food_hazards_closed'],
      text: (n) =>
        `${n}是扎实开展食品药品安全突出问题整治，检查各类生产经营单位${f.q('food_units_inspected', '家次')}，发现食品安全隐患${f.q('food_hazards_found', '个')}，全过程闭环整改销号${f.q('food_hazards_closed', '个')}。`,
    },
  ];
  const five: Clause[] = [
    {
      keys: ['stability_issues_logged'],
      text: (n) => `${n}是规范处理平安稳定清单，录入平安稳定问题${f.q('stability_issues_logged', '条')}。`,
    },
    {
      keys: ['disputes_resolved'],
      text: (n) =>
        `${n}是排查化解各类矛盾纠纷${f.q('disputes_resolved', '件')}${categories.length ? `（其中${categories.map(([label, key]) => `${label}${f.value(key)}件`).join('、')}）` : ''}。`,
    },
    {
      keys: ['petitions_received', 'petitions_closed', 'joint_instructions_handled', 'escalated_petitions'],
      text: (n) =>
        `${n}是切实推进信访法治化，受理群众来信来访${f.q('petitions_received', '件')}，办结${f.q('petitions_closed', '件')}${petitions}，及时签收和规范办理信访稳定联合调度指令${f.q('joint_instructions_handled', '件')}，${escalated}。`,
    },
    {
      keys: ['visitors_received', 'visitor_issues_resolved'],
      text: (n) =>
        `${n}是严格落实党政领导接访下访要求，接访下访群众${f.q('visitors_received', '人次', 'rough')}，解决群众反映问题${f.q('visitor_issues_resolved', '件次')}。`,
    },
    {
      keys: ['veteran_aid_yuan'],
      text: (n) => `${n}是及时开展困难退役军人帮扶救助工作，发放优抚对象“解三难”补助资金${f.q('veteran_aid_yuan', '元')}。`,
    },
  ];
  const meetings = f.reported('rule_of_law_meetings')
    ? `${span}召开法治政府建设专题会${f.q('rule_of_law_meetings', '次')}，确保各项任务落地有抓手、推进有方向。`
    : TO_WRITE;
  const literates = [
    f.reported('legal_literates') ? `遴选“法律明白人”${f.q('legal_literates', '人')}，${coverageOf(registry, org, summary)}。` : '',
    f.reported('legal_trainings') ? `组织“法律明白人”和人民调解员专题学习培训${f.q('legal_trainings', '次')}。` : '',
  ].join('');
  const stability = f.reported('stability_meetings') ? `${w.committee}研究部署辖区平安稳定工作${f.q('stability_meetings', '次')}。` : '';
  return [
    heading(1, `健全政府机构职能体系，夯实法治建设组织基础。${meetings}`),
    heading(2, `健全依法行政制度体系，推进基层治理法治化水平。${literates || TO_WRITE}`),
    heading(3, `健全行政决策制度体系，筑牢科学民主依法决策防线。${TO_WRITE}`),
    heading(4, `健全行政执法工作体系，推进规范公正文明执法。${clauses(f, four) || TO_WRITE}`),
    heading(5, `健全社会矛盾纠纷行政预防调处化解体系，维护社会公平正义。${stability}${clauses(f, five) || (stability ? '' : TO_WRITE)}`),
    heading(6, `健全行政权力制约和监督体系，促进行政权力规范透明运行。${TO_WRITE}`),
  ];
}

/** Section 二's study figures. */
function sectionTwo(org: Org, summary: Summary, f: Figures): string {
  const w = wordsOf(org);
  const keys = ['leadership_law_study', 'law_study_sessions', 'law_study_attendance'];
  if (!keys.some((k) => f.reported(k))) return TO_WRITE;
  const sessions =
    f.reported('law_study_sessions') || f.reported('law_study_attendance')
      ? `，组织${w.staff}学习法律法规${f.q('law_study_sessions', '场')}${f.q('law_study_attendance', '人次')}`
      : '';
  return `${summary.period}年，${w.leaders}召开理论学习中心组、党委会学习习近平法治思想${f.q('leadership_law_study', '次')}${sessions}。`;
}

/** The year's figures as a table: every metric, its unit, its total or 未报送. */
function tableOf(summary: Summary, f: Figures, span: string): ReportTable {
  const rows = VALUE_KEYS.map((k) => [
    k.category ? `  其中：${k.category.label}` : k.label,
    k.metric.valueType === 'money' ? '元' : k.metric.unit,
    f.reported(k.key) ? formatValue(f.value(k.key)) : '未报送',
  ]);
  return { caption: `${summary.period}年主要统计数据（${span}）`, head: ['指标', '计量单位', '合计'], rows };
}

/** The draft of an org's annual report from its annual summary (`summary.period` is the year). */
export function annualReportDraft(registry: Registry, summary: Summary, charts?: readonly ReportChart[]): ReportDraft {
  const org = registry.org(summary.org);
  if (!org) throw new Error(`report: ${summary.org} is not in the registry`);
  const f = new Figures(summary);
  const span = spanOf(summary);
  return {
    title: `${registry.district.name}${org.level === 'town' ? org.name : ''}${summary.period}年法治政府建设工作报告（统计部分草稿）`,
    note: noteOf(registry, org, summary, span),
    sections: [
      { heading: '一、推进法治政府建设的主要举措和成效', paragraphs: sectionOne(registry, org, summary, f, span.words) },
      { heading: '二、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况', paragraphs: [sectionTwo(org, summary, f)] },
    ],
    table: tableOf(summary, f, span.words),
    ...(charts?.length ? { charts } : {}),
  };
}

export function reportMarkdown(draft: ReportDraft): string {
  const body = draft.sections.map((s) => [`## ${s.heading}`, '', ...s.paragraphs.flatMap((p) => [p, ''])].join('\n'));
  const table = draft.table
    ? [
        `### ${draft.table.caption}`,
        '',
        `| ${draft.table.head.join(' | ')} |`,
        `| ${draft.table.head.map(() => '---').join(' | ')} |`,
        ...draft.table.rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
      ]
    : [];
  return [`# ${draft.title}`, '', `> ${draft.note}`, '', ...body, ...table].join('\n').trimEnd() + '\n';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(table: ReportTable): string {
  const row = (cells: readonly string[], tag: 'td' | 'th') => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  return `<table><caption>${escapeHtml(table.caption)}</caption>\n<thead>${row(table.head, 'th')}</thead>\n<tbody>\n${table.rows.map((r) => row(r, 'td')).join('\n')}\n</tbody></table>`;
}

export function reportHtml(draft: ReportDraft): string {
  const sections = draft.sections
    .map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`)
    .join('\n');
  // The charts' SVG is ECharts' own output (shared/charts), its text escaped there.
  const charts = (draft.charts ?? []).map((c) => `<figure>${c.svg}<figcaption>${escapeHtml(c.title)}</figcaption></figure>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(draft.title)}</title>
<style>body{font-family:"FangSong","仿宋",serif;max-width:42em;margin:2em auto;line-height:1.8}p{text-indent:2em}.note{color:#555;border-left:3px solid #ccc;padding-left:1em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:0 .5em}figure svg{max-width:100%;height:auto}</style></head>
<body>
<h1>${escapeHtml(draft.title)}</h1>
<p class="note">${escapeHtml(draft.note)}</p>
${sections}
${draft.table ? tableHtml(draft.table) : ''}
${charts}
</body>
</html>
`;
}
