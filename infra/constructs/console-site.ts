import { existsSync } from 'node:fs';
import { type CfnElement, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { HSTS_MAX_AGE_SECONDS, securityHeaders } from '../../shared/http/security-headers';

/** The paths CloudFront sends to the admin API; everything else is the console's files. */
export const API_PATH_PATTERNS = ['/sites/*', '/salesforce/*', '/auth/*', '/me', '/openapi.json'] as const;

export interface ConsoleSiteProps {
  /** The admin HTTP API, served on the same origin. */
  readonly api: HttpApi;
  /** The sign-in's base URL: the console fetches tokens from it (its only other origin). */
  readonly signInUrl: string;
  /** The built console (`console/dist`); absent, the bucket stays empty until it is built. */
  readonly distDir?: string;
  /** A domain of the console's own, with an ACM certificate in us-east-1. */
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
  readonly webAclArn?: string;
}

/**
 * The console on one origin with its API: CloudFront serves the built files from a private
 * bucket through origin access control (the bucket allows this distribution only) and sends
 * the API's paths to the admin HTTP API, so the browser never makes a cross-origin API call and
 * there is no CORS to configure. Every answer, files and API alike, carries the security
 * headers of shared/http/security-headers.ts.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** The console's URL, no trailing slash: also the admin API's public base URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    // CloudFront's standard logs are delivered with ACLs, so this bucket keeps object writers'
    // ownership; the console bucket's server access logs go here too (by bucket policy).
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the target of CloudFront's standard logs and of the console bucket's server access logs; logging it would log the logs.",
    });
    // The console is code, rebuilt from the repository at every deploy: no versions, no KMS key
    // (origin access control reads SSE-S3 objects without a key policy).
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = securityHeaders({ connectSources: [props.signInUrl] });
    const header = (name: string) => headers[name] ?? '';
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: "The console's security headers (shared/http/security-headers.ts)",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: header('content-security-policy'), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: ['cross-origin-opener-policy', 'permissions-policy'].map((name) => ({
          header: name,
          value: header(name),
          override: true,
        })),
      },
    });

    // API Gateway routes by its own host name: every viewer header but Host goes on, nothing is cached.
    const api: BehaviorOptions = {
      origin: new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
    };
    const certificate = props.domain
      ? Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'salesforce-quote-sync console and admin API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, api])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      // A security policy takes effect only with a certificate of our own (CDK warns otherwise).
      ...(props.domain && certificate
        ? {
            domainNames: [props.domain.domainName],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    const acknowledgeDistribution = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledgeDistribution(
      'AwsSolutions-CFR1',
      "The console serves site admins wherever their company works; access is decided per person by Cognito (MFA, threat protection) and per site by the API's roles, not by country.",
    );
    if (!props.webAclArn) {
      acknowledgeDistribution(
        'AwsSolutions-CFR2',
        'A CloudFront web ACL must be created in us-east-1, outside this stack; set console.webAclArn in the stage to attach one. Sign-in is protected by Cognito threat protection and the API by its JWT authorizer and throttling.',
      );
    }
    if (!props.domain) {
      acknowledgeDistribution(
        'AwsSolutions-CFR4',
        "Without console.domain the distribution answers on its *.cloudfront.net name with CloudFront's default certificate, whose minimum protocol CloudFront fixes; set console.domain (an ACM certificate in us-east-1) for TLSv1.2_2021.",
      );
    }
    this.url = props.domain
      ? `https://${props.domain.domainName}`
      : `https://${this.distribution.distributionDomainName}`;

    if (props.distDir && existsSync(props.distDir)) this.deploy(props.distDir);
  }

  /**
   * Uploads the build: hashed files cached for a year (a new build has new names), index.html
   * revalidated on every visit, so a deploy needs no invalidation. Old hashed files stay (no
   * prune), so a page open during a deploy still finds its chunks.
   */
  private deploy(distDir: string): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role, so the upload function gets no account-wide managed logging policy.
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Uploads the console's built files to its bucket",
    });
    logGroup.grantWrite(role);
    const common = {
      destinationBucket: this.bucket,
      role,
      logGroup,
      prune: false,
      memoryLimit: 512,
    };
    new BucketDeployment(this, 'Assets', {
      ...common,
      sources: [Source.asset(distDir, { exclude: ['index.html'] })],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    new BucketDeployment(this, 'Index', {
      ...common,
      sources: [Source.asset(distDir, { exclude: ['**', '!index.html'] })],
      cacheControl: [CacheControl.noCache()],
    });
    acknowledgeDeployment(Stack.of(this), role, this.bucket);
  }
}

/** The upload's findings: CDK's own custom-resource function and the grants it writes on our role. */
function acknowledgeDeployment(stack: Stack, role: Role, bucket: Bucket): void {
  const grants =
    "BucketDeployment's grants: read the CDK asset bucket's staged zip, write and list the console bucket (s3 sync); both resources are those two buckets only.";
  for (const id of [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
  ]) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason: grants });
  }
  const bucketLogicalId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  const objects: Record<string, string> = {
    [`Resource::<${bucketLogicalId}.Arn>/*`]:
      "The upload writes the console's files, whose names change with every build, into its own bucket.",
    // The bootstrap's default qualifier names the asset bucket CDK stages the zip in.
    [`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*`]:
      "The upload reads the console's zip that CDK staged in the bootstrap's asset bucket of this account and region.",
  };
  for (const [id, reason] of Object.entries(objects)) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  }
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "CDK's BucketDeployment function runs the Python runtime CDK pins for its bundled AWS CLI; it runs only during a deploy, with the role above.",
    });
  }
}
