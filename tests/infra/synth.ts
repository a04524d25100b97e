/**
 * Synthesizes the CDK app for one configuration (the functions bundled by esbuild, as in a deployment) and gives
 * the tests its templates, its constructs and cdk-nag's report — plus helpers to read
 * IAM policies as cdk-nag prints them (`CunbaoData:TableArn/index/*`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations, type CfnElement, type PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { VARIABLES, type VariableName } from '../../functions/commons/environment.ts';
import { createApp, type CunbaoApp } from '../../infra/cdk/app.ts';
import { reads } from '../../infra/environment.ts';
import type { FunctionName } from '../../infra/wiring.ts';

export interface Synthesized extends CunbaoApp {
  readonly dataTemplate: Template;
  readonly appTemplate: Template;
  /** Findings of cdk-nag's AWS Solutions pack that no acknowledgement covers. */
  readonly findings: readonly PolicyViolation[];
  /** The cloud assembly's directory (assets: `asset.{hash}/index.mjs`). */
  readonly outdir: string;
}

/** Mail settings every configuration needs (cdk.json holds the deployment's own). */
export const MAIL = {
  mailFrom: '鹅池镇村报 <cunbao@example.cn>',
  mailToTown: 'clerk@example.cn',
  mailToDistrict: 'district@example.cn',
} as const;

export function synthesize(context: Record<string, unknown>): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'cunbao-cdk-'));
  const built = createApp({ outdir, context }, { failSynthOnFindings: false });
  built.app.synth();
  const findings = new AwsSolutionsChecks().validateScope(built.app).violations;
  return { ...built, outdir, findings, dataTemplate: Template.fromStack(built.data), appTemplate: Template.fromStack(built.stack) };
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

export function resources(template: Template, type?: string): Resources {
  const all = template.toJSON().Resources as Resources;
  return type === undefined ? all : Object.fromEntries(Object.entries(all).filter(([, r]) => r.Type === type));
}

export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** A CloudFormation value as one string: `{Fn::GetAtt:[Queue,Arn]}` → `<Queue.Arn>`. */
export const flat = (value: unknown): string => flattenCfnReference(value);

export interface Statement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: unknown;
}

/** Every statement of every AWS::IAM::Policy attached to the role, flattened. */
export function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(resources(template, 'AWS::IAM::Policy')).filter((policy) =>
    ((policy.Properties?.['Roles'] as unknown[]) ?? []).some((role) => flat(role) === `<${roleLogicalId}>`),
  );
  return policies.flatMap((policy) => {
    const document = policy.Properties!['PolicyDocument'] as {
      Statement: { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[];
    };
    return document.Statement.map((s) => ({
      effect: s.Effect,
      actions: [s.Action].flat(),
      resources: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat),
      ...(s.Condition ? { condition: s.Condition } : {}),
    }));
  });
}

/** Every acknowledgement (cdk-nag suppression) in the tree: where, which rule, why. */
export function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** A function's environment in the app's template. */
export function environmentOf(s: Synthesized, name: FunctionName): Record<string, unknown> {
  const fn = s.stack.functions.get(name);
  if (!fn) throw new Error(`no function ${name} in the app`);
  return (resources(s.appTemplate)[logicalId(fn.function)]!.Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

/**
 * What is wrong with a function's environment in a template, as the contract
 * (functions/commons/environment.ts) and its wiring entry say: a variable it does not
 * declare, a declared one every deployment sets but this one does not, or one only the
 * local runtime may set. NODE_OPTIONS is Lambda's own.
 */
export function declaredEnvironmentProblems(environment: Record<string, unknown>, name: FunctionName): string[] {
  const names = Object.keys(environment).filter((key) => key !== 'NODE_OPTIONS');
  const isVariable = (key: string): key is VariableName => key in VARIABLES;
  return [
    ...names.filter((key) => !isVariable(key) || !reads(name, key)).map((key) => `${key}: not declared`),
    ...(Object.keys(VARIABLES) as VariableName[])
      .filter((key) => reads(name, key) && VARIABLES[key].origin === 'deployment' && !(key in environment))
      .map((key) => `${key}: declared, not set`),
    ...names.filter((key) => isVariable(key) && VARIABLES[key].origin === 'local').map((key) => `${key}: set only locally`),
  ];
}
