/**
 * `--org CODE` (summary, publish, report, completeness): a town's code or the district's;
 * `--town CODE` (validate, ingest): the town whose codes and names a file uses.
 * Without it, the registry's default: the district, or the single town of a one-town
 * registry. An unknown code is a usage error that lists the valid ones.
 */
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
export function townOption(values: Record<string, unknown>, registry: Registry): string | undefined {
  const code = values['town'] as string | undefined;
  if (code === undefined) return registry.singleTown?.code;
  const town = registry.findTown(code.trim().toUpperCase());
  if (town) return town.code;
  const valid = registry.towns.map((t) => `${t.code} ${t.name}`).join('、');
  throw new UsageError(`--town ${code}：没有这个镇（街道） (unknown town)；可用 (valid): ${valid}`);
}
