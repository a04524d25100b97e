/**
 * What a robot's webhook answered, in one shape for the three platforms: delivered, or why not,
 * and whether sending again can help. Retryable: the platform's rate limit, its 5xx, the network,
 * an answer we could not read. Not retryable: a bad key, token or signature, a keyword mismatch,
 * a malformed message: those need a fix to the configuration (or the code), not another try.
 */

export type RobotAnswer =
  | { readonly ok: true }
  | { readonly ok: false; readonly rateLimited: boolean; readonly retryable: boolean; readonly code: string; readonly message: string };

type RobotFailure = Extract<RobotAnswer, { ok: false }>;

/** A send that failed; `partsSent` parts of the notice were delivered before it. */
export class RobotError extends Error {
  override readonly name = 'RobotError';
  readonly code: string;
  readonly rateLimited: boolean;
  readonly retryable: boolean;

  constructor(
    /** The robot's id (never its URL: the URL holds its key). */
    readonly robot: string,
    failure: RobotFailure,
    readonly partsSent = 0,
  ) {
    super(`robot ${robot}: ${failure.code} ${failure.message}`.trim());
    this.code = failure.code;
    this.rateLimited = failure.rateLimited;
    this.retryable = failure.retryable;
  }
}

/** A platform's answer codes: which mean "too fast", which a later try may clear. */
export interface AnswerCodes {
  readonly rateLimited: readonly number[];
  readonly retryable: readonly number[];
}

/** The platform's code and message read from its JSON answer, or undefined when it has none. */
export type ReadAnswer = (json: unknown) => { readonly code: number; readonly message: string } | undefined;

/** How much of an unreadable answer goes into the error (an HTML error page can be long). */
const EXCERPT_CHARS = 200;

/** The answer to HTTP `status` with body `text`, read by `read` and classified by `codes`. */
export function robotAnswer(status: number, text: string, read: ReadAnswer, codes: AnswerCodes): RobotAnswer {
  const answer = read(parseJson(text));
  const success = status >= 200 && status < 300;
  if (answer !== undefined && answer.code === 0 && success) return { ok: true };
  if (answer !== undefined && answer.code !== 0) {
    const rateLimited = codes.rateLimited.includes(answer.code);
    const retryable = rateLimited || codes.retryable.includes(answer.code) || status >= 500;
    return { ok: false, rateLimited, retryable, code: String(answer.code), message: answer.message };
  }
  const message = text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
  if (success) return { ok: false, rateLimited: false, retryable: true, code: 'BAD_ANSWER', message };
  const rateLimited = status === 429;
  const retryable = rateLimited || status === 408 || status >= 500;
  return { ok: false, rateLimited, retryable, code: `HTTP_${status}`, message };
}

/** A reader for answers shaped `{ [codeKey]: number, [messageKey]: string }`. */
export function fieldsReader(...shapes: readonly (readonly [codeKey: string, messageKey: string])[]): ReadAnswer {
  return (json) => {
    if (typeof json !== 'object' || json === null) return undefined;
    const fields = json as Readonly<Record<string, unknown>>;
    for (const [codeKey, messageKey] of shapes) {
      const code = fields[codeKey];
      const message = fields[messageKey];
      if (typeof code === 'number') return { code, message: typeof message === 'string' ? message : '' };
    }
    return undefined;
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
