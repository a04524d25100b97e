/**
 * What the gate answers instead of storing: S3's error, as data (status, code, message and
 * the extra elements S3 puts in its XML body). Every check returns one of these rather
 * than throwing, so the pure checks can be tested without a server.
 */

export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number>>;
}

/** A check's outcome: the value it yields, or S3's refusal. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: S3Refusal };

export const accepted = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refused = (refusal: S3Refusal): { readonly ok: false; readonly refusal: S3Refusal } => ({ ok: false, refusal });

export const s3Refusal = (status: number, code: string, message: string, details: Record<string, string | number> = {}): S3Refusal => ({
  status,
  code,
  message,
  details,
});

export const accessDenied = (message: string) => s3Refusal(403, 'AccessDenied', message);
/** S3's words for a POST the policy does not allow: `Invalid according to Policy: …`. */
export const policyDenied = (why: string) => accessDenied(`Invalid according to Policy: ${why}`);
export const invalidArgument = (message: string, name: string, value = '') =>
  s3Refusal(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
export const invalidPolicy = (message: string) => s3Refusal(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
export const missingField = (name: string) =>
  invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name);
export const malformedPost = () =>
  s3Refusal(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
export const entityTooLarge = (size: number, max: number) =>
  s3Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: max });
export const entityTooSmall = (size: number, min: number) =>
  s3Refusal(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: size,
    MinSizeAllowed: min,
  });
export const internalError = (error: unknown) =>
  s3Refusal(500, 'InternalError', `We encountered an internal error: ${error instanceof Error ? error.message : String(error)}`);
