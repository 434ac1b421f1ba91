import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { DataExportNames } from './stacks/data-contract';

/**
 * cdk-nag acknowledgements for the wildcards that CDK's own `grant*` methods write. Each is
 * attached to one function's role, names the exact finding (cdk-nag 3 has no prefix matching)
 * and says why that wildcard is acceptable there.
 */
function acknowledge(fn: IFunction, findings: Record<string, string>): void {
  const role = fn.role;
  if (role === undefined) {
    throw new Error(`${fn.node.path} has no role to acknowledge findings on`);
  }
  for (const [id, reason] of Object.entries(findings)) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  }
}

/** After `table.grantReadData` / `grantReadWriteData` on the table with its two GSIs. */
export function acknowledgeTableIndexes(fn: IFunction, names: DataExportNames): void {
  acknowledge(fn, {
    [`Resource::${names.tableArn}/index/*`]:
      "CDK's DynamoDB grant covers the table's own secondary indexes (gsi1, gsi2) for Query; the wildcard cannot reach another table.",
  });
}

/** After any grant on a resource encrypted with the customer-managed data key. */
export function acknowledgeDataKeyActions(fn: IFunction): void {
  const reason =
    "CDK's grants on the KMS-encrypted queue, table and bucket add the data-key action families SQS and S3 use to envelope-encrypt messages and objects; the statement's only resource is the data key's ARN.";
  acknowledge(fn, { 'Action::kms:ReEncrypt*': reason, 'Action::kms:GenerateDataKey*': reason });
}

/** After `bucket.grantReadWrite` on the documents bucket. */
export function acknowledgeBucketObjects(fn: IFunction, names: DataExportNames): void {
  const actions =
    "CDK's bucket.grantReadWrite action families (object versions of the versioned bucket, listing a site's prefix, aborting multipart uploads); resources are this one bucket and its objects.";
  acknowledge(fn, {
    [`Resource::${names.bucketArn}/*`]:
      'Quote PDFs are written under site/quote/version keys chosen at run time; the wildcard is confined to the documents bucket.',
    'Action::s3:GetObject*': actions,
    'Action::s3:GetBucket*': actions,
    'Action::s3:List*': actions,
    'Action::s3:DeleteObject*': actions,
    'Action::s3:Abort*': actions,
  });
}

/** After `table.grantReadData` on the table of the same stack (the user pool's trigger). */
export function acknowledgeOwnTableIndexes(fn: IFunction, stack: Stack, table: Table): void {
  const logicalId = stack.getLogicalId(table.node.defaultChild as CfnElement);
  acknowledge(fn, {
    [`Resource::<${logicalId}.Arn>/index/*`]:
      "CDK's DynamoDB grant covers the table's own secondary indexes for Query (the trigger queries gsi1 for a person's sites); the wildcard cannot reach another table.",
  });
}
