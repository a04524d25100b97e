/**
 * The price table the cost model uses, dated. Two regions:
 *
 * - us-east-1 (N. Virginia), USD: the commercial reference. Its prices are AWS's base list
 *   prices (other commercial regions, Hong Kong ap-east-1 among them, are mostly the same or
 *   up to ~30 % dearer) and the ones known here most reliably; for comparison only.
 * - cn-northwest-1 (Ningxia), CNY: where a Chongqing district would likely deploy (AWS China,
 *   operated by NWCD; SMTP instead of SES, IAM for the district's routes).
 *
 * HONESTY NOTE. These figures were written down from AWS's public pricing pages as known on
 * `asOf`; they were NOT re-checked online from the machine that runs `npm run cost` (it has
 * no internet access). The China figures are less certain than the commercial ones: an
 * entry is `page` when it is the figure as read on the China pricing page (amazonaws.cn),
 * `estimate` when no China figure was at hand — then it is the us-east-1 price converted at
 * CNY_PER_USD, and says so. Check both against the pages before relying on a total.
 * First price tier only (this workload never leaves it). The free tier is not in the
 * prices: `FREE_TIER` lists it, and the model applies it only when asked (`--free-tier`).
 */

export type PriceKey =
  | 'lambdaGbSecondArm'
  | 'lambdaRequestsPerMillion'
  | 'httpApiPerMillion'
  | 'dynamoRruPerMillion'
  | 'dynamoWruPerMillion'
  | 'dynamoStorageGbMonth'
  | 'dynamoPitrGbMonth'
  | 's3StandardGbMonth'
  | 's3PutPer1000'
  | 's3GetPer1000'
  | 'sqsPerMillion'
  | 'schedulerPerMillion'
  | 'logsIngestGb'
  | 'logsStorageGbMonth'
  | 'metricMonth'
  | 'alarmMonth'
  | 'dashboardMonth'
  | 'mailPer1000'
  | 'mailAttachmentGb'
  | 'secretMonth'
  | 'kmsKeyMonth';

interface Price {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  /** `page`: as read on the pricing page; `estimate`: derived, see `note`. */
  readonly basis: 'page' | 'estimate';
  readonly note?: string;
}

export interface PriceTable {
  readonly region: string;
  readonly name: string;
  readonly currency: 'USD' | 'CNY';
  /** The date the prices are as known from the pages (not re-checked online since). */
  readonly asOf: string;
  readonly prices: Readonly<Record<PriceKey, Price>>;
}

/** For China entries with no China figure at hand: the us-east-1 price at this rate. */
const CNY_PER_USD = 7.2;
const AS_OF = '2025-06-01';

const AWS = 'https://aws.amazon.com';
const page = (value: number, unit: string, source: string, note?: string): Price => ({
  value,
  unit,
  source,
  basis: 'page',
  ...(note ? { note } : {}),
});

const US_EAST_1: Readonly<Record<PriceKey, Price>> = {
  lambdaGbSecondArm: page(0.0000133334, 'GB-s (arm64)', `${AWS}/lambda/pricing/`),
  lambdaRequestsPerMillion: page(0.2, '1M requests', `${AWS}/lambda/pricing/`),
  httpApiPerMillion: page(1.0, '1M requests (HTTP API, ≤512 KB each)', `${AWS}/api-gateway/pricing/`),
  dynamoRruPerMillion: page(0.125, '1M read request units', `${AWS}/dynamodb/pricing/on-demand/`, 'after the Nov 2024 on-demand price cut'),
  dynamoWruPerMillion: page(
    0.625,
    '1M write request units',
    `${AWS}/dynamodb/pricing/on-demand/`,
    'after the Nov 2024 on-demand price cut',
  ),
  dynamoStorageGbMonth: page(0.25, 'GB-month', `${AWS}/dynamodb/pricing/on-demand/`),
  dynamoPitrGbMonth: page(0.2, 'GB-month (point-in-time recovery)', `${AWS}/dynamodb/pricing/on-demand/`),
  s3StandardGbMonth: page(0.023, 'GB-month (Standard)', `${AWS}/s3/pricing/`),
  s3PutPer1000: page(0.005, '1000 PUT/COPY/POST/LIST', `${AWS}/s3/pricing/`),
  s3GetPer1000: page(0.0004, '1000 GET and others', `${AWS}/s3/pricing/`),
  sqsPerMillion: page(0.4, '1M requests (standard queue, 64 KB chunks)', `${AWS}/sqs/pricing/`),
  schedulerPerMillion: page(1.0, '1M scheduled invocations', `${AWS}/eventbridge/pricing/`),
  logsIngestGb: page(0.5, 'GB ingested (standard logs)', `${AWS}/cloudwatch/pricing/`),
  logsStorageGbMonth: page(0.03, 'GB-month archived', `${AWS}/cloudwatch/pricing/`),
  metricMonth: page(0.3, 'custom metric-month', `${AWS}/cloudwatch/pricing/`, 'AWS service metrics (Lambda, SQS, API Gateway) are free'),
  alarmMonth: page(0.1, 'standard alarm-month', `${AWS}/cloudwatch/pricing/`),
  dashboardMonth: page(3.0, 'dashboard-month', `${AWS}/cloudwatch/pricing/`),
  mailPer1000: page(0.1, '1000 mails (each recipient counts)', `${AWS}/ses/pricing/`),
  mailAttachmentGb: page(0.12, 'GB of attachments sent', `${AWS}/ses/pricing/`),
  secretMonth: page(0.4, 'secret-month', `${AWS}/secrets-manager/pricing/`),
  kmsKeyMonth: page(1.0, 'customer managed key-month', `${AWS}/kms/pricing/`, 'none used: SSE-S3, SQS-managed and AWS-owned table keys'),
};

const CN = 'https://www.amazonaws.cn/en';
/** A China entry with no China figure at hand: the us-east-1 price converted, flagged. */
const converted = (key: PriceKey, source: string): Price => ({
  value: Math.round(US_EAST_1[key].value * CNY_PER_USD * 1e10) / 1e10,
  unit: US_EAST_1[key].unit,
  source,
  basis: 'estimate',
  note: `no China figure at hand: the us-east-1 price × ${CNY_PER_USD} CNY/USD`,
});

const CN_NORTHWEST_1: Readonly<Record<PriceKey, Price>> = {
  lambdaGbSecondArm: {
    value: 0.0000907816,
    unit: 'GB-s (arm64)',
    source: `${CN}/lambda/pricing/`,
    basis: 'estimate',
    note: 'the x86 page figure ¥0.000113477/GB-s less 20 % (the arm64 discount of every region)',
  },
  lambdaRequestsPerMillion: page(1.36, '1M requests', `${CN}/lambda/pricing/`),
  httpApiPerMillion: converted('httpApiPerMillion', `${CN}/api-gateway/pricing/`),
  dynamoRruPerMillion: {
    value: 2.23076,
    unit: '1M read request units',
    source: `${CN}/dynamodb/pricing/`,
    basis: 'estimate',
    note: 'the write price ÷ 5, the read/write ratio of every region',
  },
  dynamoWruPerMillion: page(11.1538, '1M write request units', `${CN}/dynamodb/pricing/`, 'no Nov 2024 cut seen on the China page'),
  dynamoStorageGbMonth: converted('dynamoStorageGbMonth', `${CN}/dynamodb/pricing/`),
  dynamoPitrGbMonth: converted('dynamoPitrGbMonth', `${CN}/dynamodb/pricing/`),
  s3StandardGbMonth: page(0.1755, 'GB-month (Standard, Ningxia)', `${CN}/s3/pricing/`),
  s3PutPer1000: converted('s3PutPer1000', `${CN}/s3/pricing/`),
  s3GetPer1000: converted('s3GetPer1000', `${CN}/s3/pricing/`),
  sqsPerMillion: converted('sqsPerMillion', `${CN}/sqs/pricing/`),
  schedulerPerMillion: converted('schedulerPerMillion', `${CN}/eventbridge/pricing/`),
  logsIngestGb: converted('logsIngestGb', `${CN}/cloudwatch/pricing/`),
  logsStorageGbMonth: converted('logsStorageGbMonth', `${CN}/cloudwatch/pricing/`),
  metricMonth: converted('metricMonth', `${CN}/cloudwatch/pricing/`),
  alarmMonth: converted('alarmMonth', `${CN}/cloudwatch/pricing/`),
  dashboardMonth: converted('dashboardMonth', `${CN}/cloudwatch/pricing/`),
  mailPer1000: {
    value: 0,
    unit: '1000 mails',
    source: `${CN}/about-aws/regional-product-services/`,
    basis: 'page',
    note: 'no SES in AWS China: mail goes over the district’s own SMTP server, billed (if at all) outside AWS',
  },
  mailAttachmentGb: {
    value: 0,
    unit: 'GB of attachments',
    source: `${CN}/about-aws/regional-product-services/`,
    basis: 'page',
    note: 'no SES',
  },
  secretMonth: converted('secretMonth', `${CN}/secrets-manager/pricing/`),
  kmsKeyMonth: converted('kmsKeyMonth', `${CN}/kms/pricing/`),
};

export const PRICE_TABLES: readonly PriceTable[] = [
  { region: 'us-east-1', name: 'US East (N. Virginia)', currency: 'USD', asOf: AS_OF, prices: US_EAST_1 },
  { region: 'cn-northwest-1', name: 'China (Ningxia)', currency: 'CNY', asOf: AS_OF, prices: CN_NORTHWEST_1 },
];

/**
 * The monthly free tier (us-east-1; always-free and 12-month offers alike), applied only
 * with `--free-tier`. Not known here for AWS China, so China's is left empty.
 */
export const FREE_TIER: Readonly<Record<string, Partial<Record<PriceKey, number>>>> = {
  'us-east-1': {
    lambdaGbSecondArm: 400_000,
    lambdaRequestsPerMillion: 1,
    httpApiPerMillion: 1,
    dynamoStorageGbMonth: 25,
    s3StandardGbMonth: 5,
    s3PutPer1000: 2,
    s3GetPer1000: 20,
    sqsPerMillion: 1,
    schedulerPerMillion: 14,
    logsIngestGb: 5,
    alarmMonth: 10,
    dashboardMonth: 3,
    metricMonth: 10,
    mailPer1000: 3,
  },
  'cn-northwest-1': {},
};
