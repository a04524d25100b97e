/** A finding (an error or a warning of a file) as the API shows it: absent unit and period left out. */
import type { Finding } from '../findings.ts';
import type { FindingBody } from './answer-schemas.ts';
import type * as z from 'zod/mini';

export function findingBody(f: Finding): z.infer<typeof FindingBody> {
  return {
    code: f.code,
    message: f.message,
    row: f.row,
    column: f.column,
    value: f.value,
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.period ? { period: f.period } : {}),
    ...(f.cell ? { cell: f.cell } : {}),
  };
}
