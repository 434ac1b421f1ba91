import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolDomain,
  UserPoolGroup,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OPERATORS_GROUP } from '../../shared/http/admin-identity';

export interface SignInPoolProps {
  /** `<prefix>.auth.<region>.amazoncognito.com`, unique within the region. */
  readonly domainPrefix: string;
  /** The pre-token-generation trigger that sets the `sites` claim (absent while its handler is). */
  readonly claimsTrigger?: IFunction;
}

/**
 * The console's people: a Cognito user pool with managed login (its newer pages, on the Cognito
 * domain) on the Plus plan, whose threat protection blocks compromised credentials and risky
 * sign-ins. Sign-in is by e-mail address; nobody signs up alone (an operator invites, and a site's
 * admin gives the role); MFA is required (an authenticator app); passwords are long. The pool
 * holds the accounts, so it lives with the data and is retained.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html
 */
export class SignInPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: SignInPoolProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.claimsTrigger) {
      // Version 2 of the event customizes the access token too, which the admin API reads.
      this.userPool.addTrigger(
        UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
        props.claimsTrigger,
        LambdaVersion.V2_0,
      );
    }
    // Its members operate the deployment (admins of every site, the only ones who create sites):
    // Cognito puts the group into the access token's cognito:groups claim.
    new UserPoolGroup(this, 'Operators', {
      userPool: this.userPool,
      groupName: OPERATORS_GROUP,
      description: 'Operators of salesforce-quote-sync: admins of every site; they create sites',
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  }
}
