/**
 * `--org CODE` (summary, publish, report, completeness): a town's code or the district's.
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
