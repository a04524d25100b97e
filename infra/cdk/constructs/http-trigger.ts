/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0) in front of the api function:
 * one route per entry of the routes table (shared/api/routes.ts), each with the authorizer its `auth` asks for —
 * none for `public`, the Lambda authorizer for `token`, and for `reader` (the district)
 * the Lambda authorizer or, with districtAuth=iam, IAM (SigV4), which in AWS China needs
 * no ICP filing. Stage throttling and access logs on the one `$default` stage.
 */
import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  type HttpStage,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteAuth } from '../../../shared/api/routes.ts';
import type { FunctionName } from '../../wiring.ts';
import type { DistrictAuth } from '../config.ts';
import { acknowledgeWildcardResources, nagName } from '../nag.ts';
import { WiredFunction, type WiredFunctionProps } from './wired-function.ts';

/** API Gateway HTTP APIs take at most 10 MiB per request; nothing can raise it. */
const HTTP_API_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export interface HttpApiFunctionProps extends WiredFunctionProps {
  /** The Lambda authorizer named by the wiring. */
  readonly tokenAuthorizer: IHttpRouteAuthorizer;
  readonly districtAuth: DistrictAuth;
}

export class HttpApiFunction extends Construct {
  readonly function: WiredFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly routes: HttpRoute[] = [];
  /** With districtAuth=iam: a role whose holders may call the district's routes. */
  readonly districtReader?: iam.Role;

  constructor(scope: Construct, name: FunctionName, props: HttpApiFunctionProps) {
    super(scope, name);
    this.function = new WiredFunction(this, name, props);
    const trigger = this.function.wiring.trigger;
    if (trigger.kind !== 'http') throw new Error(`${name}: the wiring's trigger is ${trigger.kind}, not http`);
    if (trigger.maxRequestBytes > HTTP_API_MAX_REQUEST_BYTES)
      throw new Error(
        `${name}: maxRequestBytes ${trigger.maxRequestBytes} exceeds what an HTTP API accepts (${HTTP_API_MAX_REQUEST_BYTES})`,
      );

    this.api = new HttpApi(this, 'Api', { apiName: `cunbao-${name}`, description: 'cunbao 村报 HTTP API', createDefaultStage: false });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: trigger.throttle.rateLimit, burstLimit: trigger.throttle.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });

    const integration = new HttpLambdaIntegration('Integration', this.function.function);
    const iamAuthorizer = new HttpIamAuthorizer();
    const authorizerFor = (auth: RouteAuth): IHttpRouteAuthorizer =>
      auth === 'public'
        ? new HttpNoneAuthorizer()
        : auth === 'reader' && props.districtAuth === 'iam'
          ? iamAuthorizer
          : props.tokenAuthorizer;
    const built = ROUTES.map((route) => {
      const httpRoute = new HttpRoute(this, `Route-${route.name}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        authorizer: authorizerFor(route.auth),
      });
      if (route.auth === 'public')
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (shared/api/routes.ts): ${route.summary}; it reveals no data.`,
        });
      this.routes.push(httpRoute);
      return { route, httpRoute };
    });

    if (props.districtAuth === 'iam') {
      // Whoever the account lets assume this role may call the district's routes, and only those.
      this.districtReader = new iam.Role(this, 'DistrictReader', {
        assumedBy: new iam.AccountRootPrincipal(),
        description: 'cunbao: read the district routes of the HTTP API (SigV4)',
      });
      const readerRoutes = built.filter(({ route }) => route.auth === 'reader');
      for (const { httpRoute } of readerRoutes) httpRoute.grantInvoke(this.districtReader);
      // grantInvoke names a route with `*` for its path parameters (and any stage).
      const apiId = nagName(this, this.api.apiId);
      acknowledgeWildcardResources(this.districtReader, (resource) => {
        const match = readerRoutes.find(
          ({ route }) =>
            resource.includes(':execute-api:') && resource.endsWith(`:${apiId}/*/${route.method}${route.path.replace(/\{.*?\}.*/, '*')}`),
        );
        return (
          match && `${match.route.method} ${match.route.path} on this API: one IAM wildcard per path parameter ({…}) and for the stage.`
        );
      });
      new CfnOutput(Stack.of(this), 'DistrictReaderRoleArn', {
        value: this.districtReader.roleArn,
        description: 'Assume this role to call the district routes with SigV4',
      });
    }
    new CfnOutput(Stack.of(this), 'ApiUrl', { value: this.stage.url, description: 'The HTTP API (the upload page is at /)' });
  }
}
