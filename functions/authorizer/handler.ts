/**
 * The HTTP API's Lambda authorizer (simple responses, payload 2.0), cached by API Gateway
 * per Authorization header for the wired TTL.
 *
 * A refused token is still "authorized", with the refusal in the context: API Gateway
 * would otherwise answer a bare 403 `{"message":"Forbidden"}`, and the caller would not
 * learn that the token expired or was revoked. The api function turns the refusal into a
 * 401 with the code and the Chinese message. Only the token's id is logged, never a token.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { DynamoTokenReader } from '../../shared/adapters/dynamodb-token-reader.ts';
import { bearerToken, TokenError, verifyToken } from '../../shared/auth/tokens.ts';
import { dynamodb } from '../commons/dynamodb.ts';
import { clockOf, FUNCTION_VARIABLES, readEnvironment } from '../commons/environment.ts';
import { logger } from '../commons/log.ts';

const env = readEnvironment(FUNCTION_VARIABLES.authorizer);
const log = logger(env.LOG_LEVEL, { function: 'authorizer' });
const tokens = new DynamoTokenReader(dynamodb, env.TABLE_NAME);
const now = clockOf(env);

/** What the api function reads in `requestContext.authorizer.lambda`. */
export type AuthorizerContext =
  | { readonly role: string; readonly unit: string; readonly town: string; readonly tokenId: string; readonly expiresAt: string }
  | { readonly refused: string; readonly message: string };

export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => {
  const header = event.headers?.['authorization'] ?? event.identitySource?.[0];
  try {
    const { principal, tokenId, expiresAt } = await verifyToken(bearerToken(header), tokens, now());
    return {
      isAuthorized: true,
      context: {
        role: principal.role,
        unit: principal.role === 'village' ? principal.unit : '',
        town: principal.role === 'town' ? principal.town : '',
        tokenId,
        expiresAt,
      },
    };
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    log('warn', 'token refused', { code: error.code, ...(error.reason ? { reason: error.reason } : {}), route: event.routeKey });
    return { isAuthorized: true, context: { refused: error.code, message: error.message } };
  }
};
