/**
 * `cunbao token issue | list | revoke`: the town administrator's credentials desk. Whoever
 * can run these on a data dir administers it (as whoever holds the table's IAM rights will
 * in AWS): the commands themselves take no token.
 */
import { IssueError, principalLabel, principalOf, requestedPrincipal } from '../shared/auth/principals.ts';
import { ROLE_NAMES } from '../shared/auth/roles.ts';
import {
  allTokens,
  beijingTime,
  issueToken,
  isTokenId,
  noteOf,
  parseToken,
  parseExpiry,
  revokeToken,
  TokenError,
  tokenStatus,
  type IssueRequest,
  type TokenInfo,
  type TokenStatus,
} from '../shared/auth/tokens.ts';
import { UsageError, type CliEnvironment } from './environment.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoTokens } from '../shared/adapters/dynamodb-tokens.ts';
import type { TokenStore } from '../shared/auth/tokens.ts';
import type { Out } from './output.ts';
import { withStack } from './stack-commands.ts';

/**
 * The credential store the command works on: the deployed table when CUNBAO_TABLE names
 * one (with the AWS credentials and region of the environment, as the AWS CLI takes
 * them: how the first admin token of a deployment is issued), else the local stack's.
 */
async function withTokens<T>(values: Values, env: CliEnvironment, work: (tokens: TokenStore) => Promise<T>): Promise<T> {
  if (!env.awsTable) return withStack(values, env, (stack) => work(stack.tokens));
  const client = new DynamoDBClient({});
  try {
    return await work(new DynamoTokens(client, env.awsTable));
  } finally {
    client.destroy();
  }
}

type Values = Record<string, unknown>;

const USAGE =
  '用法 (usage): cunbao token issue --role village|town|district|admin [--town EC] [--unit V03] [--expires 90d] [--note 文字] | token list [--json] | token revoke TOKEN_ID';

/** The options each action takes (besides --data-dir): another action's option is a mistake. */
const ACTION_OPTIONS: Record<string, readonly string[]> = {
  issue: ['role', 'town', 'unit', 'expires', 'note'],
  list: ['json'],
  revoke: [],
};

export async function token(args: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || !(action in ACTION_OPTIONS))
    throw new UsageError(action === undefined ? USAGE : `未知操作 (unknown action) “${action}”。${USAGE}`);
  const stray = Object.keys(values).filter((name) => name !== 'data-dir' && !ACTION_OPTIONS[action]!.includes(name));
  if (stray.length)
    throw new UsageError(`token ${action} 不接受 ${stray.map((s) => `--${s}`).join(' ')} (not an option of token ${action})`);
  if (action === 'issue') return issue(rest, values, env, out);
  if (action === 'list') return list(rest, values, env, out);
  return revoke(rest, values, env, out);
}

async function issue(rest: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  if (rest.length) throw new UsageError(`token issue 不接受参数 ${rest.join(' ')} (unexpected arguments)`);
  const now = env.now();
  // Every mistake in the request is found before the stack starts (a usage error, exit 2).
  let request: IssueRequest;
  try {
    request = {
      principal: requestedPrincipal(
        {
          role: values['role'] as string | undefined,
          unit: values['unit'] as string | undefined,
          town: values['town'] as string | undefined,
        },
        env.registry,
      ),
      expiresAt: parseExpiry(values['expires'] as string | undefined, now),
      note: noteOf(values['note'] as string | undefined),
    };
  } catch (error) {
    if (error instanceof IssueError) throw new UsageError(`${error.message} (${error.code})`);
    throw error;
  }
  const { token: issued, info } = await withTokens(values, env, (tokens) => issueToken(request, tokens, now));
  // The token alone on the first line (easy to copy or to take in a script), then what it is; nowhere else, ever.
  out.stdout(`${issued}\n`);
  out.stdout(
    JSON.stringify({
      tokenId: info.tokenId,
      role: info.role,
      ...(info.unit ? { unit: info.unit } : {}),
      ...(info.town ? { town: info.town } : {}),
      principal: principalLabel(principalOf(info)),
      createdAt: info.createdAt,
      expiresAt: info.expiresAt,
      ...(info.note ? { note: info.note } : {}),
    }) + '\n',
  );
  out.stderr(
    `凭证只显示这一次：系统只保存它的摘要，丢失后无法找回，只能撤销后重新签发。请立即交给使用者，${beijingTime(info.expiresAt)}（北京时间）到期。\n(The token is shown only this once; only its hash is stored.)\n`,
  );
  return 0;
}

async function list(rest: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  if (rest.length) throw new UsageError(`token list 不接受参数 ${rest.join(' ')} (unexpected arguments)`);
  const now = env.now();
  const tokens = await withTokens(values, env, async (store) => {
    const all: TokenInfo[] = [];
    for await (const info of allTokens(store)) all.push(info);
    return all;
  });
  if (values['json']) {
    for (const info of tokens)
      out.stdout(JSON.stringify({ ...info, principal: principalLabel(principalOf(info)), status: tokenStatus(info, now) }) + '\n');
    return 0;
  }
  out.stdout(tokenTable(tokens, now, env));
  return 0;
}

/** The name of a token's node, as the registry has it (石柱村, 鹅池镇); empty for the district and admin. */
function nodeName(info: TokenInfo, env: CliEnvironment): string {
  if (info.unit !== undefined) return env.registry.get(info.unit)?.name ?? '';
  return info.town === undefined ? '' : (env.registry.findTown(info.town)?.name ?? '');
}

const STATUS_NAMES: Record<TokenStatus, string> = { active: '有效', expired: '已过期', revoked: '已撤销' };

/** The Chinese table of `token list` (times in Beijing time). */
function tokenTable(tokens: readonly TokenInfo[], now: Date, env: CliEnvironment): string {
  if (tokens.length === 0) return '（还没有凭证 no tokens yet）：npx cunbao token issue --role village --unit EC/V03\n';
  const rows = tokens.map((t) => [
    t.tokenId,
    `${ROLE_NAMES[t.role]} ${principalLabel(principalOf(t))} ${nodeName(t, env)}`.trim(),
    STATUS_NAMES[tokenStatus(t, now)],
    beijingTime(t.createdAt),
    t.revokedAt ? `撤销于 ${beijingTime(t.revokedAt)}` : beijingTime(t.expiresAt),
    t.note ?? '',
  ]);
  const header = ['凭证编号 id', '角色 role', '状态 status', '签发 created', '到期 expires', '备注 note'];
  const width = (s: string) => [...s].reduce((w, c) => w + (c.codePointAt(0)! > 0x2e80 ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return (
    [line(header), ...rows.map(line), `共 ${tokens.length} 个凭证，时间为北京时间 (${tokens.length} tokens; times in Beijing time)`].join(
      '\n',
    ) + '\n'
  );
}

async function revoke(rest: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  if (rest.length !== 1) throw new UsageError('请给出一个凭证编号 (give one TOKEN_ID, as shown by token list)');
  const given = rest[0]!;
  // The id as `token list` shows it, or the whole token (only its id is used).
  let tokenId: string;
  try {
    tokenId = isTokenId(given) ? given : parseToken(given).tokenId;
  } catch {
    throw new UsageError(`“${given}” 不是凭证编号：应为 16 位十六进制（见 token list）或完整的凭证 (not a token id)`);
  }
  try {
    const { info, alreadyRevoked } = await withTokens(values, env, (tokens) => revokeToken(tokenId, tokens, env.now()));
    out.stdout(
      JSON.stringify({
        tokenId: info.tokenId,
        principal: principalLabel(principalOf(info)),
        revokedAt: info.revokedAt,
        alreadyRevoked,
        status: 'revoked',
      }) + '\n',
    );
    return 0;
  } catch (error) {
    if (!(error instanceof TokenError) || error.code !== 'TOKEN_UNKNOWN') throw error;
    out.stderr(`没有这个凭证 (no such token, TOKEN_UNKNOWN): ${tokenId}\n`);
    return 1;
  }
}
