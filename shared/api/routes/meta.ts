/** What every caller reads before sending: who the token is, the catalogue, the units, a template. */
import { principalTown, type Principal } from '../../auth/principals.ts';
import { ROLE_NAMES } from '../../auth/roles.ts';
import type { Registry, ReportingUnit } from '../../registry.ts';
import { METRICS, VALUE_KEYS } from '../../catalogue.ts';
import { addMonths, monthOf } from '../../period.ts';
import { template as templateCsv } from '../../write.ts';
import { defineRoute } from '../define-route.ts';
import { attachment, json, SECURITY_HEADERS } from '../http.ts';
import * as S from '../schemas.ts';
import { XLSX_TYPE } from '../../xlsx/write/model.ts';
import { EVERYONE, maxFileBytes, ownUnit, readableUnit, visibleTowns, WRITERS } from '../scope.ts';

export const me = defineRoute({
  name: 'me',
  method: 'GET',
  path: '/v1/me',
  auth: 'token',
  roles: EVERYONE,
  refusal: '查看凭证',
  summary: '当前凭证代表谁：角色、单位、有效期',
  ok: { status: 200, json: 'Me', description: '凭证信息' },
  handle: async ({ deps, caller, principal }) => {
    const registry = await deps.registry();
    return json(200, {
      role: principal.role,
      roleName: ROLE_NAMES[principal.role],
      ...(principal.role === 'village' ? { unit: principal.unit, unitName: registry.get(principal.unit)?.name ?? principal.unit } : {}),
      ...(caller.tokenId ? { tokenId: caller.tokenId } : {}),
      ...(caller.expiresAt ? { expiresAt: caller.expiresAt } : {}),
      town: registry.findTown(principalTown(principal) ?? '')?.name ?? registry.defaultOrg.name,
      org: meOrg(registry, principal),
      towns: visibleTowns(principal, registry).map((t) => ({ code: t.code, name: t.name })),
      defaultPeriod: addMonths(monthOf(deps.now()), -1),
      now: deps.now().toISOString(),
      deadlineDay: registry.deadlineDay,
      lockDay: registry.lockDay,
      maxFileBytes: maxFileBytes(deps),
    });
  },
});

export const catalogue = defineRoute({
  name: 'catalogue',
  method: 'GET',
  path: '/v1/catalogue',
  auth: 'token',
  roles: EVERYONE,
  refusal: '查看指标目录',
  summary: '指标目录',
  ok: { status: 200, json: 'CatalogueBody', description: '指标目录', cacheControl: 'private, max-age=300' },
  handle: async () =>
    json(
      200,
      {
        metrics: METRICS.map((m) => ({ code: m.code, label: m.label, unit: m.unit, kind: m.kind, section: m.section })),
        keys: VALUE_KEYS.map((k) => ({
          key: k.key,
          metric: k.metric.code,
          label: k.label,
          unit: k.metric.unit,
          ...(k.category ? { category: k.category.code } : {}),
        })),
      },
      { 'cache-control': 'private, max-age=300' },
    ),
});

export const units = defineRoute({
  name: 'units',
  method: 'GET',
  path: '/v1/units',
  auth: 'token',
  roles: EVERYONE,
  refusal: '查看单位名录',
  summary: '填报单位名录：村（社区）和镇为本镇；区级和管理员为全区各镇',
  ok: { status: 200, json: 'UnitsBody', description: '单位名录' },
  handle: async ({ deps, principal }) => {
    const registry = await deps.registry();
    const towns = visibleTowns(principal, registry);
    // Short codes within one town, full codes across towns (docs/DOMAIN.md#hierarchy).
    const code = (u: ReportingUnit) => (towns.length === 1 ? u.code : u.fullCode);
    const unit = (u: ReportingUnit) => ({ code: code(u), fullCode: u.fullCode, town: u.town, name: u.name, type: u.type });
    const org = meOrg(registry, principal);
    return json(200, {
      town: towns.length === 1 ? (towns[0]?.name ?? org.name) : org.name,
      org,
      deadlineDay: registry.deadlineDay,
      units: towns.flatMap((t) => t.units.map(unit)),
      towns: towns.map((t) => ({ code: t.code, name: t.name, units: t.units.map(unit) })),
    });
  },
});

export const template = defineRoute({
  name: 'template',
  method: 'GET',
  path: '/v1/templates/{period}',
  auth: 'token',
  roles: WRITERS,
  refusal: '下载填报模板（只有村、社区和镇可以报送）',
  summary: '下载某月的填报模板：CSV（默认）或 ?format=xlsx（Excel 工作簿）',
  params: { period: S.MonthParam },
  query: S.TemplateQuery,
  ok: { status: 200, csv: true, xlsx: true, attachment: true, description: 'CSV 模板（UTF-8 带 BOM），或 Excel 工作簿' },
  errors: [400, 404],
  handle: async ({ params: { period }, query, deps, principal }) => {
    const registry = await deps.registry();
    const asked = query.unit === undefined ? undefined : readableUnit(principal, query.unit, registry);
    const unit = principal.role === 'village' ? ownUnit(principal, asked?.fullCode) : asked?.fullCode;
    const known = unit === undefined ? undefined : registry.get(unit);
    const town = principalTown(principal);
    const options = { format: query.layout, registry, period, ...(unit ? { unit } : {}), ...(town ? { town } : {}) };
    const place = registry.findTown(known?.town ?? principalTown(principal) ?? '')?.name ?? registry.defaultOrg.name;
    const name = `${place}${known ? `-${known.name}` : ''}-${period}-填报模板.${query.format}`;
    const ascii = `${known ? known.fullCode.replace('/', '-') : (town ?? registry.defaultOrg.code)}-${period}-template.${query.format}`;
    const headers = { 'content-disposition': attachment(name, ascii), 'cache-control': 'no-store', ...SECURITY_HEADERS };
    if (query.format === 'csv')
      return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', ...headers }, body: templateCsv(options) };
    // The workbook writer is loaded when a workbook is asked for, not at the API's cold start.
    const { templateWorkbook } = await import('../../workbooks/template.ts');
    return {
      status: 200,
      headers: { 'content-type': XLSX_TYPE, ...headers },
      body: Buffer.from(templateWorkbook(options)).toString('base64'),
      isBase64Encoded: true,
    };
  },
});

/** The node a caller belongs to: its town (village, town), else the default org (the district, or the single town). */
function meOrg(registry: Registry, principal: Principal): { code: string; name: string; level: 'town' | 'district' } {
  const town = principalTown(principal);
  const org = (town === undefined ? undefined : registry.org(town)) ?? registry.defaultOrg;
  return { code: org.code, name: org.name, level: org.level };
}
