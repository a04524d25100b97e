/**
 * The annual report draft: the statistics paragraphs of the 法治政府建设工作报告 (section 一,
 * and the study figures of section 二), written in the style of the town's own report
 * (docs/DOMAIN.md#seed-report), every figure filled in from the year's totals: a town's, or
 * the district's (the same paragraphs, its towns' figures added up).
 */
import { formatValue } from './numbers.ts';
import type { Org, Registry } from './registry.ts';
import type { Values } from './rollup.ts';
import { derivedOf, type Completeness } from './summary.ts';
import { unitNameOf } from './summary-text.ts';

interface ReportSection {
  readonly heading: string;
  readonly paragraphs: readonly string[];
}

export interface ReportDraft {
  readonly title: string;
  /** For the clerk: where the figures come from and how complete they are. */
  readonly note: string;
  readonly sections: readonly ReportSection[];
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

function percent(rate: number | null): string {
  return rate === null ? '（无隐患）' : `${formatValue(Math.round(rate * 1000) / 10)}%`;
}

/** The words that differ between a town's report and the district's. */
function wordsOf(registry: Registry, org: Org) {
  if (org.level === 'town') {
    const villages = registry.unitsOf(org).filter((u) => u.type !== 'town_office').length;
    return { coverage: `覆盖全镇${villages}个村（社区）`, committee: '镇党委会', leaders: '镇党政班子成员', staff: '全镇干部职工' };
  }
  const towns = registry.towns.length;
  return {
    coverage: `覆盖全区${towns}个镇（街道）`,
    committee: '各镇（街道）党委会',
    leaders: '各镇（街道）党政班子成员',
    staff: '各镇（街道）干部职工',
  };
}

export function annualReportDraft(registry: Registry, org: Org, year: string, totals: Values, completeness?: Completeness): ReportDraft {
  const v = (key: string) => totals[key] ?? 0;
  const d = derivedOf(totals);
  const w = wordsOf(registry, org);
  const categories = (['land_acquisition', 'labor', 'family', 'land_transfer', 'other'] as const)
    .map((c, i) => [['征地拆迁', '劳动关系', '婚恋家庭', '土地流转', '其他'][i]!, v(`disputes_resolved.${c}`)] as const)
    .filter(([, n]) => n > 0);
  const escalated = v('escalated_petitions');
  const missing = completeness?.missing.map((key) => unitNameOf(registry, { org: org.code, level: org.level }, key)) ?? [];
  const note = completeness
    ? `本草稿由村报根据各单位${year}年月报自动生成：应报 ${completeness.expected} 份，已报 ${completeness.submitted} 份（按时 ${completeness.onTime}，迟报 ${completeness.late}）${missing.length ? `，仍缺：${missing.join('、')}` : ''}。请核对后使用。`
    : `本草稿由村报根据各单位${year}年月报自动生成，请核对后使用。`;
  return {
    title: `${registry.district.name}${org.level === 'town' ? org.name : ''}${year}年法治政府建设工作报告（统计部分草稿）`,
    note,
    sections: [
      {
        heading: '一、推进法治政府建设的主要举措和成效',
        paragraphs: [
          `（一）全年召开法治政府建设专题会${v('rule_of_law_meetings')}次，确保各项任务落地有抓手、推进有方向。`,
          `（二）遴选“法律明白人”${v('legal_literates')}人，${w.coverage}。组织“法律明白人”和人民调解员专题学习培训${v('legal_trainings')}次。`,
          `（四）一是扎实开展安全生产治本攻坚三年行动，累计排查重大事故隐患${v('major_hazards_found')}处，一般隐患${v('general_hazards_found')}处，完成整改${v('hazards_rectified')}处，整改率${percent(d.rectificationRate)}。` +
            `二是强化自然灾害风险预防整治，完成辖区${v('geohazard_monitors_upgraded')}处地质灾害隐患点监测设备升级，开展防汛抗旱应急演练${v('emergency_drills')}次，修订完善村级应急预案${v('emergency_plans_revised')}份。` +
            `三是集中整治消防安全突出问题，开展电动自行车安全隐患联合执法${v('ebike_joint_enforcements')}次，检查销售门店${v('ebike_shops_inspected')}家，查处违规充电行为${v('illegal_charging_cases')}起，发放宣传资料${roughly(v('leaflets_distributed'))}份；整改软管老化、报警器缺失等燃气安全问题${v('gas_issues_rectified')}项，安装燃气报警器${v('gas_alarms_installed')}户；安装居民自建房防范电气火灾漏电保护器${v('rcd_installed')}个；下达整改通知书${v('rectification_notices')}份。` +
            `四是常态化开展道路交通安全路检路查，查处超载、酒驾等违法行为${v('traffic_violations')}起，排查临水临崖道路安全隐患${v('road_hazards_found')}处，整治${v('road_hazards_fixed')}处，增设道路安全警示标志${v('warning_signs_added')}个。` +
            `五是扎实开展食品药品安全突出问题整治，检查各类生产经营单位${v('food_units_inspected')}家次，发现食品安全隐患${v('food_hazards_found')}个，全过程闭环整改销号${v('food_hazards_closed')}个。`,
          `（五）${w.committee}研究部署辖区平安稳定工作${v('stability_meetings')}次。一是规范处理平安稳定清单，录入平安稳定问题${v('stability_issues_logged')}条。` +
            `二是排查化解各类矛盾纠纷${v('disputes_resolved')}件${categories.length ? `（其中${categories.map(([label, n]) => `${label}${n}件`).join('、')}）` : ''}。` +
            `三是切实推进信访法治化，受理群众来信来访${v('petitions_received')}件，办结${v('petitions_closed')}件（办理中${d.petitionsInProgress}件），及时签收和规范办理信访稳定联合调度指令${v('joint_instructions_handled')}件，${escalated > 0 ? `发生到市进京走访${escalated}件` : '未发生到市进京走访'}。` +
            `四是严格落实党政领导接访下访要求，接访下访群众${roughly(v('visitors_received'))}人次，解决群众反映问题${v('visitor_issues_resolved')}件次。` +
            `五是及时开展困难退役军人帮扶救助工作，发放优抚对象“解三难”补助资金${money(v('veteran_aid_yuan'))}。`,
        ],
      },
      {
        heading: '二、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况',
        paragraphs: [
          `${year}年，${w.leaders}召开理论学习中心组、党委会学习习近平法治思想${v('leadership_law_study')}次，组织${w.staff}学习法律法规${v('law_study_sessions')}场${v('law_study_attendance')}人次。`,
        ],
      },
    ],
  };
}

export function reportMarkdown(draft: ReportDraft): string {
  const body = draft.sections.map((s) => [`## ${s.heading}`, '', ...s.paragraphs.flatMap((p) => [p, ''])].join('\n'));
  return [`# ${draft.title}`, '', `> ${draft.note}`, '', ...body].join('\n').trimEnd() + '\n';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function reportHtml(draft: ReportDraft): string {
  const sections = draft.sections
    .map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(draft.title)}</title>
<style>body{font-family:"FangSong","仿宋",serif;max-width:42em;margin:2em auto;line-height:1.8}p{text-indent:2em}.note{color:#555;border-left:3px solid #ccc;padding-left:1em}</style></head>
<body>
<h1>${escapeHtml(draft.title)}</h1>
<p class="note">${escapeHtml(draft.note)}</p>
${sections}
</body>
</html>
`;
}
