/**
 * The Lambda authorizer of the HTTP API: simple responses (payload format 2.0), the
 * token from the wiring's identity source, each token's answer cached for the wiring's
 * TTL (a revoked token keeps working at most that long).
 */
import { Duration } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Construct } from 'constructs';
import type { FunctionName } from '../../wiring.ts';
import { WiredFunction, type WiredFunctionProps } from './wired-function.ts';

export type AuthorizerFunctionProps = WiredFunctionProps;

export class AuthorizerFunction extends Construct {
  readonly function: WiredFunction;
  readonly authorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, name: FunctionName, props: AuthorizerFunctionProps) {
    super(scope, name);
    this.function = new WiredFunction(this, name, props);
    const trigger = this.function.wiring.trigger;
    if (trigger.kind !== 'authorizer') throw new Error(`${name}: the wiring's trigger is ${trigger.kind}, not authorizer`);
    this.authorizer = new HttpLambdaAuthorizer('TokenAuthorizer', this.function.function, {
      authorizerName: `cunbao-${name}`,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [trigger.identitySource],
      resultsCacheTtl: Duration.seconds(trigger.resultsCacheTtlSeconds),
    });
  }
}
