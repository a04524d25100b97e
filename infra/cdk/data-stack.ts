/**
 * The stateful stack: the bucket (every uploaded byte, versioned) and the single table.
 * Both are retained when the stack is deleted; the app stack can be destroyed and
 * redeployed freely around them.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../shared/adapters/dynamodb-table.ts';

/** The names under which the data stack exports what the app stack imports. */
export interface DataExports {
  readonly tableArn: string;
  readonly bucketArn: string;
  readonly bucketName: string;
}

function dataExports(stackName: string): DataExports {
  return { tableArn: `${stackName}:TableArn`, bucketArn: `${stackName}:BucketArn`, bucketName: `${stackName}:BucketName` };
}

export interface DataStackProps extends StackProps {
  /** Origins allowed to POST uploads to the bucket from a browser (presigned POST). */
  readonly allowedOrigins: readonly string[];
}

export class DataStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly accessLogs: s3.Bucket;
  readonly exports: DataExports;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // As the files' bucket: TLS below 1.2 is refused too (aws:SecureTransport alone allows 1.0).
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the files bucket; logging its own access would log the logging.',
    });

    this.bucket = new s3.Bucket(this, 'Files', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        // Nothing is lost: old versions are kept, only moved to cheaper storage.
        {
          id: 'older-versions-to-infrequent-access',
          noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Browsers upload with a presigned POST from the page the API serves.
      ...(props.allowedOrigins.length > 0
        ? {
            cors: [
              {
                allowedMethods: [s3.HttpMethods.POST],
                allowedOrigins: [...props.allowedOrigins],
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag', 'x-amz-version-id'],
                maxAge: 3600,
              },
            ],
          }
        : {}),
    });

    // The key schema the adapters use (shared/adapters/dynamodb-table.ts), exactly.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // Named exports, imported by name in the app stack: stable names (not generated ones)
    // that the app stack's IAM findings can be acknowledged by.
    this.exports = dataExports(this.stackName);
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The table (TABLE_NAME): tokens, submissions, rollups, summaries',
    });
    new CfnOutput(this, 'BucketName', {
      value: this.bucket.bucketName,
      description: 'The bucket (BUCKET_NAME): upload config/units.json here',
      exportName: this.exports.bucketName,
    });
    new CfnOutput(this, 'BucketArn', { value: this.bucket.bucketArn, exportName: this.exports.bucketArn });
    new CfnOutput(this, 'TableArn', { value: this.table.tableArn, exportName: this.exports.tableArn });
  }
}
