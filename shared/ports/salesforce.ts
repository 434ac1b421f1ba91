import type { FlowActivation } from '../domain/flow-activation';
import type { OpportunityProduct } from '../domain/opportunity-products';
import type { OrgProbe } from '../domain/org-editions';
import type { SalesforceLogin } from '../domain/salesforce-login';
import type { FlowSpec, OutboundMessageSpec } from '../domain/salesforce-setup';

export type { FlowActivation };

/** What the org's token endpoint granted, with the ids read from the identity URL. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  organizationId: string;
  userId: string;
}

/** The OAuth 2.0 web-server flow with PKCE against the site's login host. */
export interface SalesforceOAuth {
  authorizationUrl(input: {
    state: string;
    codeChallenge: string;
    redirectUri: string;
    login: SalesforceLogin;
  }): string;
  exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
    login: SalesforceLogin;
  }): Promise<TokenGrant>;
  /** The username of the token's user, from the userinfo endpoint. */
  username(grant: TokenGrant): Promise<string>;
  /** Revokes at the login host the token came from (undefined: a connection from before the choice). */
  revoke(refreshToken: string, login: SalesforceLogin | undefined): Promise<void>;
}

export interface OrgField {
  name: string;
  label: string;
  type: string;
  /** Whether the connected user may write it through the API. */
  updateable: boolean;
  picklistValues?: string[];
}

/** One connected org, as the settings and setup use cases need it. */
export interface SalesforceOrg {
  /** The org's API usage now (the REST limits resource: one call). */
  apiUsage(): Promise<{ used: number; limit: number }>;
  /** Edition and sandbox flag, and whether the REST and Metadata APIs answer. */
  probe(): Promise<OrgProbe>;
  describe(sObjectType: string): Promise<OrgField[]>;
  deployOutboundMessage(spec: OutboundMessageSpec): Promise<void>;
  /** Saves a new flow version, then makes sure it is the active one (see activateFlow). */
  deployFlow(spec: FlowSpec): Promise<FlowActivation>;
  /** Reads the flow's active and latest versions back and activates the latest when it is not. */
  activateFlow(): Promise<FlowActivation>;
  /** Deactivates and deletes the flow, then deletes the outbound message; missing items are fine. */
  removeSetup(): Promise<void>;
}

export interface SalesforceOrgs {
  /** A client for the site's connected org; throws ConflictError when the site is not connected. */
  forSite(siteId: string): Promise<SalesforceOrg>;
  /** Stores rotated tokens and the API calls counted so far; call before an invocation ends. */
  settle(): Promise<void>;
  /**
   * Drops what this instance keeps of the site's session: after a (re)connection or a
   * disconnect, a warm function must not reach the org with the access token and login host of
   * the connection before (revoked, or at another login host).
   */
  forget(siteId: string): void;
}

/** A Salesforce record's fields as text (numbers and booleans as Salesforce writes them), by API name. */
export type SalesforceFieldValues = Record<string, string | null>;

export interface OpportunityContacts {
  /** The primary contact role's contact, else the first by creation; absent when there is none. */
  primaryContact?: SalesforceFieldValues & { Id: string };
  /** The opportunity's products in Salesforce's order; absent when they were not asked for. */
  products?: OpportunityProduct[];
}

export interface AccountsAndContacts {
  /** Accounts found, by 18-character id; a requested id that is missing was deleted (or is not visible). */
  accounts: Map<string, SalesforceFieldValues & { Id: string }>;
  /** Opportunities found, by 18-character id; absent when contacts were not asked for, or it was deleted. */
  opportunities?: Map<string, OpportunityContacts>;
}

/** What the sync worker reads from one connected org: at most two API calls per call, whatever the size. */
export interface SalesforceRecordReader {
  fetchAccountsAndPrimaryContacts(request: {
    accountIds: readonly string[];
    accountFields: readonly string[];
    /** Empty to skip reading the opportunities (no contacts, no products): one API call instead of two. */
    opportunityIds: readonly string[];
    contactFields: readonly string[];
    /** Read each opportunity's primary contact (default true). */
    contacts?: boolean;
    /** Read each opportunity's products too, in the same query (a second child subquery). */
    products?: boolean;
  }): Promise<AccountsAndContacts>;
  /** The org's API usage now (the REST limits resource: one call). */
  apiUsage(): Promise<{ used: number; limit: number }>;
}

export interface SalesforceRecordReaders {
  /** Throws ConflictError when the site is not connected, ReconnectNeededError when it must reconnect. */
  forSite(siteId: string): Promise<SalesforceRecordReader>;
  /** Waits for rotated refresh tokens to be stored; call before the invocation returns. */
  settle(): Promise<void>;
}
