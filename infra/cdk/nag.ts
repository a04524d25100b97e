/**
 * cdk-nag (v3) names each wildcard of an IAM policy by the flattened CloudFormation value
 * (`Resource::<Api1234.Arn>/…/*`): these helpers compute those names with cdk-nag's own
 * flattening, so that a finding is acknowledged exactly, never by a pattern.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** A value (string with tokens) as cdk-nag prints it in a finding. */
export function nagName(scope: IConstruct, value: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(value));
}

/**
 * Acknowledges the wildcard resources of a role's default policy that `reasonFor` accepts
 * (it returns the reason, or undefined to leave the finding standing).
 */
export function acknowledgeWildcardResources(role: iam.Role, reasonFor: (resource: string) => string | undefined): void {
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  if (!policy) return;
  const document = Stack.of(role).resolve(policy.document) as { Statement?: { Resource?: unknown }[] };
  for (const statement of document.Statement ?? []) {
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources.map((r) => flattenCfnReference(r)).filter((r) => r.includes('*'))) {
      const reason = reasonFor(resource);
      if (reason) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}
