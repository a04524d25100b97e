/**
 * A year of monthly files whose totals are the figures of the seed report
 * (docs/DOMAIN.md#seed-report, 鹅池镇 2025): each flow spread over months and units, the legal
 * literates counted per village (5 each in December: 8 × 5 = 40), 1036 leaflets and 823
 * visitors (the report says 1000余 and 800余), 21 000 yuan of veteran aid (2.1万元).
 */
import type { Submission } from '../../shared/check.ts';
import { month } from '../../shared/period.ts';
import { registry } from './core.ts';

/** The year's totals (flows) as the seed report gives them. */
export const SEED_TOTALS: Readonly<Record<string, number>> = {
  rule_of_law_meetings: 2,
  legal_trainings: 5,
  leadership_law_study: 6,
  law_study_sessions: 4,
  law_study_attendance: 360,
  major_hazards_found: 2,
  general_hazards_found: 92,
  hazards_rectified: 94,
  geohazard_monitors_upgraded: 6,
  emergency_drills: 3,
  emergency_plans_revised: 8,
  ebike_joint_enforcements: 4,
  ebike_shops_inspected: 4,
  illegal_charging_cases: 3,
  leaflets_distributed: 1036,
  gas_issues_rectified: 27,
  gas_alarms_installed: 33,
  rcd_installed: 3000,
  rectification_notices: 4,
  traffic_violations: 113,
  road_hazards_found: 11,
  road_hazards_fixed: 11,
  warning_signs_added: 14,
  food_units_inspected: 77,
  food_hazards_found: 36,
  food_hazards_closed: 36,
  stability_meetings: 12,
  stability_issues_logged: 7,
  'disputes_resolved.land_acquisition': 21,
  'disputes_resolved.labor': 34,
  'disputes_resolved.family': 40,
  'disputes_resolved.land_transfer': 18,
  'disputes_resolved.other': 20,
  petitions_received: 15,
  petitions_closed: 14,
  joint_instructions_handled: 5,
  escalated_petitions: 0,
  visitors_received: 823,
  visitor_issues_resolved: 426,
  veteran_aid_yuan: 21000,
};

/** The seed's legal literates: 5 per village or community, as counted at the year's end. */
export const LITERATES_PER_VILLAGE = 5;

/** Spreads `total` over `slots` as evenly as whole numbers allow, the remainder to the first slots. */
function spread(total: number, slots: number): number[] {
  return Array.from({ length: slots }, (_, i) => Math.floor(total / slots) + (i < total % slots ? 1 : 0));
}

export function seedYear(year = '2025'): Submission[] {
  // Full codes (EC/V01): the town EC of config/units.json, and of config/district.json.
  const units = registry.units.map((u) => u.fullCode);
  const slots = units.length * 12;
  const per = Object.fromEntries(
    Object.entries(SEED_TOTALS).map(([key, total]) => [key, key === 'veteran_aid_yuan' ? [] : spread(total, slots)]),
  );
  const submissions: Submission[] = [];
  units.forEach((unit, u) => {
    const village = registry.get(unit)!.type !== 'town_office';
    for (let m = 1; m <= 12; m++) {
      const slot = (m - 1) * units.length + u;
      const values: Record<string, number> = {};
      for (const [key, amounts] of Object.entries(per)) if (amounts.length) values[key] = amounts[slot]!;
      // Every hazard found is rectified in the month it is found (the seed's 整改率 100%).
      values['hazards_rectified'] = values['major_hazards_found']! + values['general_hazards_found']!;
      values['disputes_resolved'] = ['land_acquisition', 'labor', 'family', 'land_transfer', 'other'].reduce(
        (n, c) => n + values[`disputes_resolved.${c}`]!,
        0,
      );
      // A stock: the number of legal literates at each month's end, growing to 5 per village.
      if (village) values['legal_literates'] = Math.min(LITERATES_PER_VILLAGE, 1 + Math.floor(m / 3));
      // Veteran aid: paid by the town office twice a year.
      if (!village && (m === 1 || m === 7)) values['veteran_aid_yuan'] = 10_500;
      submissions.push({ unit, period: month(Number(year), m), values });
    }
  });
  return submissions;
}

/** Every figure of the seed report's section 一 (and the study figures of section 二), as the town's report writes them. */
export const SEED_PHRASES = [
  '法治政府建设专题会2次',
  '“法律明白人”40人，覆盖全镇8个村（社区）',
  '专题学习培训5次',
  '排查重大事故隐患2处，一般隐患92处',
  '整改率100%',
  '完成辖区6处地质灾害隐患点监测设备升级',
  '防汛抗旱应急演练3次',
  '修订完善村级应急预案8份',
  '联合执法4次',
  '检查销售门店4家',
  '查处违规充电行为3起',
  '发放宣传资料1000余份',
  '燃气安全问题27项',
  '安装燃气报警器33户',
  '漏电保护器3000个',
  '下达整改通知书4份',
  '查处超载、酒驾等违法行为113起',
  '排查临水临崖道路安全隐患11处，整治11处',
  '增设道路安全警示标志14个',
  '检查各类生产经营单位77家次',
  '发现食品安全隐患36个',
  '全过程闭环整改销号36个',
  '研究部署辖区平安稳定工作12次',
  '录入平安稳定问题7条',
  '排查化解各类矛盾纠纷133件',
  '受理群众来信来访15件，办结14件（办理中1件）',
  '信访稳定联合调度指令5件',
  '未发生到市进京走访',
  '接访下访群众800余人次',
  '解决群众反映问题426件次',
  '“解三难”补助资金2.1万元',
  '学习习近平法治思想6次',
  '4场360人次',
] as const;

/**
 * The same figures as the district's report writes them, when the seed town is the
 * district's only town with data: the literates cover the district's towns, not a town's villages.
 */
export function districtSeedPhrases(towns: number): string[] {
  return SEED_PHRASES.map((p) => (p.startsWith('“法律明白人”') ? `“法律明白人”40人，覆盖全区${towns}个镇（街道）` : p));
}
