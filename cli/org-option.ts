/**
 * Who and which node a command is about: `--org CODE` (summary, publish, report,
 * completeness), a town's code or the district's; `--town CODE` (validate, ingest), the
 * town whose codes and names a file uses; `--as UNIT` (validate, ingest), the unit whose
 * own secretary is uploading.
 * Without it, the registry's default: the district, or the single town of a one-town
 * registry. An unknown code is a usage error that lists the valid ones.
 */
import type { Uploader } from '../shared/check.ts';
import type { Org, Registry } from '../shared/registry.ts';
import { UsageError } from './environment.ts';

export function orgOf(values: Record<string, unknown>, registry: Registry): Org {
  const code = values['org'] as string | undefined;
  if (code === undefined) return registry.defaultOrg;
  const org = registry.org(code.trim().toUpperCase());
  if (org) return org;
  const valid = registry.orgs.map((o) => `${o.code} ${o.name}`).join('、');
  throw new UsageError(`--org ${code}：没有这个镇（街道）或区 (unknown org)；可用 (valid): ${valid}`);
}

/**
 * `--town CODE`: the town in which the administrator's file is read (its short codes and
 * names are that town's); without it, the single town of a one-town registry, else none
 * (a code or name found in several towns is then AMBIGUOUS_UNIT).
 */
function townOption(values: Record<string, unknown>, registry: Registry): string | undefined {
  const code = values['town'] as string | undefined;
  if (code === undefined) return registry.singleTown?.code;
  const town = registry.findTown(code.trim().toUpperCase());
  if (town) return town.code;
  const valid = registry.towns.map((t) => `${t.code} ${t.name}`).join('、');
  throw new UsageError(`--town ${code}：没有这个镇（街道） (unknown town)；可用 (valid): ${valid}`);
}

/**
 * The uploader of `validate` and `ingest`: with `--as UNIT`, that unit's own secretary (its
 * code or name read in `--town`, or a full or division code); without it, the
 * administrator reading the file in `--town`.
 */
export function uploaderOption(values: Record<string, unknown>, registry: Registry): Uploader {
  const town = townOption(values, registry);
  const unit = values['as'] as string | undefined;
  if (unit === undefined) return town === undefined ? { role: 'admin' } : { role: 'admin', town };
  const found = registry.resolve(unit, town);
  return { role: 'village', unit: found.unit ? found.unit.fullCode : unitFor(unit, registry, '--as') };
}

/** A unit named on the command line (code, full code, division code or name) → its full code, or a usage error. */
export function unitFor(text: string, registry: Registry, option: string): string {
  const found = registry.resolve(text, registry.singleTown?.code);
  if (found.unit) return found.unit.fullCode;
  if (found.problem === 'ambiguous')
    throw new UsageError(
      `${option} ${text}: 多个镇都有此单位，请写完整代码 (ambiguous unit): ${found.candidates.map((u) => u.fullCode).join(', ')}`,
    );
  throw new UsageError(`${option} ${text}: 单位代码不在名录中 (unknown unit); 可用: ${registry.codes().join(', ')}`);
}
