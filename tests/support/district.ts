/** The sample district of config/district.json (QJ 黔江区: EC 鹅池镇, SH 石会镇, HX 黑溪镇), as the integration stack runs it. */
import { readFileSync } from 'node:fs';
import { Registry } from '../../shared/registry.ts';

export const DISTRICT_JSON = JSON.parse(readFileSync(new URL('../../config/district.json', import.meta.url), 'utf8')) as {
  district: { code: string; name: string; recipients?: string[] };
  towns: { code: string; name: string; recipients?: string[]; units: { code: string }[] }[];
};

export const district = Registry.parse(DISTRICT_JSON);

/** The sample district with recipients of its own for the district and each town (as a registry may set them). */
export function districtWithRecipients(): Registry {
  return Registry.parse({
    ...DISTRICT_JSON,
    district: { ...DISTRICT_JSON.district, recipients: ['office@qj.test'] },
    towns: DISTRICT_JSON.towns.map((t) => ({ ...t, recipients: [`clerk@${t.code.toLowerCase()}.test`] })),
  });
}
