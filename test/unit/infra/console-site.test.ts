import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { API_PATH_PATTERNS } from '../../../infra/constructs/console-site';
import { HSTS_MAX_AGE_SECONDS } from '../../../shared/http/security-headers';
import {
  fakeRepository,
  handlerFunction,
  handlerFunctions,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './support';

/** Every handler present and a built console, as `npm run synth` sees the repository after a build. */
function synthesizeWithConsole(): Synthesized {
  const repository = fakeRepository();
  try {
    const dist = join(repository.root, 'console', 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/app-X.js"></script>');
    writeFileSync(join(dist, 'app-X.js'), 'export {};');
    return synthesize({ repositoryRoot: repository.root });
  } finally {
    repository.remove();
  }
}

const { service, stateful } = synthesizeWithConsole();

const [distributionId, distribution] =
  Object.entries(resourcesOf(service, 'AWS::CloudFront::Distribution'))[0] ?? [];
const config = (distribution?.Properties?.DistributionConfig ?? {}) as {
  Origins: {
    Id: string;
    DomainName: unknown;
    S3OriginConfig?: unknown;
    OriginAccessControlId?: unknown;
    CustomOriginConfig?: Record<string, unknown>;
  }[];
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors: Record<string, unknown>[];
  DefaultRootObject: string;
  CustomErrorResponses?: unknown;
};

function adminVariables(template: Template): Record<string, unknown> {
  return (
    handlerFunction(template, 'admin-api').properties.Environment as { Variables: Record<string, unknown> }
  ).Variables;
}

describe('the console in AWS: CloudFront in front of a private bucket and the admin API', () => {
  it('serves the files from a bucket nobody reaches but this distribution, through origin access control', () => {
    service.resourceCountIs('AWS::CloudFront::Distribution', 1);
    service.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    service.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const s3Origins = config.Origins.filter((origin) => origin.S3OriginConfig !== undefined);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    // The bucket: public access blocked, no website endpoint, and a policy that names the
    // distribution as the only reader.
    const buckets = resourcesOf(service, 'AWS::S3::Bucket');
    const files = Object.entries(buckets).find(([id]) => id.startsWith('ConsoleFiles'));
    expect(files?.[1].Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(files?.[1].Properties?.WebsiteConfiguration).toBeUndefined();
    service.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: files?.[0] },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: {
              StringEquals: {
                'AWS:SourceArn': {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([Match.stringLikeRegexp(':distribution/'), { Ref: distributionId }]),
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
    });
  });

  it("sends /sites/*, /salesforce/* and the API's other paths to the admin HTTP API, uncached, on the same origin", () => {
    const apiOrigin = config.Origins.find((origin) => origin.CustomOriginConfig !== undefined);
    expect(apiOrigin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    // The admin API's own host name, taken from its endpoint.
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain('AdminApi');
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual([...API_PATH_PATTERNS]);
    expect(API_PATH_PATTERNS).toEqual(expect.arrayContaining(['/sites/*', '/salesforce/*']));
    for (const behavior of config.CacheBehaviors) {
      expect(behavior).toMatchObject({
        TargetOriginId: apiOrigin?.Id,
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        // Managed-CachingDisabled and Managed-AllViewerExceptHostHeader.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
    }
    // Same origin, so no CORS anywhere, and no error page that would turn an API 403 into HTML.
    for (const api of Object.values(resourcesOf(service, 'AWS::ApiGatewayV2::Api'))) {
      expect(api.Properties?.CorsConfiguration).toBeUndefined();
    }
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('answers with a strict CSP (no inline script, frame-ancestors none), HSTS and nosniff on files and API alike', () => {
    const [policyId, policy] =
      Object.entries(resourcesOf(service, 'AWS::CloudFront::ResponseHeadersPolicy'))[0] ?? [];
    const headers = (
      (policy?.Properties?.ResponseHeadersPolicyConfig ?? {}) as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    // The console fetches tokens from the user pool's domain, its one other origin.
    expect(csp).toContain('SignInUrl');
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const behaviors = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    for (const behavior of behaviors) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('uploads the build: hashed files cached for a year, index.html revalidated each visit', () => {
    const deployments = Object.values(resourcesOf(service, 'Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(2);
    const cacheControl = deployments.map((deployment) => deployment.Properties?.SystemMetadata);
    expect(cacheControl).toEqual(
      expect.arrayContaining([
        { 'cache-control': 'public, max-age=31536000, immutable' },
        { 'cache-control': 'no-cache' },
      ]),
    );
    for (const deployment of deployments) expect(deployment.Properties?.Prune).toBe(false);
  });

  it('answers on its own domain with TLS 1.2 and a web ACL when the stage names them', () => {
    const repository = fakeRepository();
    const { service: custom } = synthesize({
      repositoryRoot: repository.root,
      config: {
        console: {
          domainName: 'console.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
          webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/quote-sync/0f1e2d3c',
        },
      },
    });
    repository.remove();
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['console.example.com'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
        WebACLId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/quote-sync/0f1e2d3c',
      }),
    });
    const variables = adminVariables(custom);
    expect(variables.PUBLIC_BASE_URL).toBe('https://console.example.com');
  });

  it("makes the console's URL the admin API's public base URL, so the Salesforce callback lands on it", () => {
    const variables = adminVariables(service);
    expect(JSON.stringify(variables.PUBLIC_BASE_URL)).toContain(distributionId);
    expect(variables.SIGN_IN_PROVIDER).toBe('cognito');
  });
});

describe('the console in AWS: who signs in', () => {
  it('keeps people in a Cognito user pool with managed login, invitation only, MFA required', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UsernameAttributes: ['email'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'operators' });
    stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('gives the console a public client for the authorization code flow (PKCE, no secret) back to its own URL', () => {
    service.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const [, client] = Object.entries(resourcesOf(service, 'AWS::Cognito::UserPoolClient'))[0] ?? [];
    expect(client?.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    // No implicit flow, no password or SRP flow from the browser: the code flow only.
    expect(client?.Properties?.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(JSON.stringify(client?.Properties?.CallbackURLs)).toContain(distributionId);
    service.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
  });

  it("sets the sites claim with the pre-token-generation trigger (event version 2, access token too), reading the table's users", () => {
    const trigger = handlerFunctions(stateful).get('add-site-claims');
    expect(trigger).toBeDefined();
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaArn: { 'Fn::GetAtt': [trigger?.logicalId, 'Arn'] },
          LambdaVersion: 'V2_0',
        },
      },
    });
    stateful.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [trigger?.logicalId, 'Arn'] },
    });
    expect(trigger?.properties).toMatchObject({ Timeout: 5, Runtime: 'nodejs24.x' });
    // Read only: the trigger never writes the table.
    const statements = Object.values(resourcesOf(stateful, 'AWS::IAM::Policy')).flatMap(
      (policy) =>
        ((policy.Properties?.PolicyDocument ?? {}) as { Statement: { Action: string | string[] }[] })
          .Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
  });

  it("has API Gateway check the console client's access tokens on every admin route", () => {
    const [, authorizer] = Object.entries(resourcesOf(service, 'AWS::ApiGatewayV2::Authorizer'))[0] ?? [];
    const [clientId] = Object.keys(resourcesOf(service, 'AWS::Cognito::UserPoolClient'));
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: clientId }] },
    });
  });
});
