/**
 * Salesforce's refusals of a Connect, in words an admin can act on. Salesforce sends them to the
 * callback as `error` and `error_description` (authorize) or in the token endpoint's JSON (code
 * exchange); the answer names the refusal, says why it happens and what the org's admin must do,
 * so a page can show it as it is.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm
 * https://help.salesforce.com/s/articleView?id=005132365&type=1 (uninstalled connected apps, Sept 2025)
 */
export interface AuthorizationRefusal {
  /** Salesforce's error code and description, verbatim. */
  salesforce: { error: string; description?: string };
  /** One line for a heading. */
  title: string;
  /** Why Salesforce refused, plainly. */
  reason: string;
  /** What to do, in order; most steps are for the org's Salesforce admin. */
  steps: string[];
  /** Whether the admin can fix it (true), or only the person signing in (false). */
  needsOrgAdmin: boolean;
}

interface Explanation {
  title: string;
  reason: string;
  steps: string[];
  needsOrgAdmin: boolean;
}

const CONNECT_AGAIN = 'Then connect the site again.';

function explain(error: string, description: string, context: { redirectUri: string }): Explanation {
  const text = description.toLowerCase();
  if (error === 'OAUTH_APP_BLOCKED') {
    return {
      title: 'The app is blocked in this Salesforce org',
      reason: "The org's admin blocked the app this service signs in with, so no user of the org may use it.",
      steps: [
        'In Salesforce Setup, open Connected Apps OAuth Usage (for an External Client App: External Client App Manager) and unblock the app.',
        CONNECT_AGAIN,
      ],
      needsOrgAdmin: true,
    };
  }
  if (text.includes('app must be installed into org')) {
    return {
      title: 'The app is not installed in this Salesforce org',
      reason:
        'Since September 2025 Salesforce blocks apps that are not installed in the org for users without the "Approve Uninstalled Connected Apps" permission.',
      steps: [
        'In Salesforce Setup, open Connected Apps OAuth Usage, find the app and choose Install.',
        'In its policies, set Permitted Users, and give the connecting user access (a profile or permission set) if only approved users may use it.',
        'Alternatively, connect as a user who has the "Approve Uninstalled Connected Apps" permission (System Administrators have it).',
        CONNECT_AGAIN,
      ],
      needsOrgAdmin: true,
    };
  }
  if (error === 'OAUTH_EC_APP_NOT_FOUND') {
    return {
      title: 'This Salesforce org does not have the app',
      reason:
        'An External Client App reaches only the org that created it, or orgs that installed the managed package that carries it.',
      steps: [
        "Install the package with the service's app in this org (ask the service's operator for it).",
        'In External Client App Manager, set who may use it.',
        CONNECT_AGAIN,
      ],
      needsOrgAdmin: true,
    };
  }
  if (error === 'OAUTH_APP_ACCESS_DENIED' || text.includes('not admin approved')) {
    return {
      title: 'This user is not approved for the app',
      reason:
        'The app\'s policy is "Admin approved users are pre-authorized", and the user who signed in has neither a profile nor a permission set that the app allows.',
      steps: [
        "In Salesforce Setup, open the app's policies (Manage Connected Apps, or External Client App Manager) and add the user's profile or a permission set assigned to the user.",
        CONNECT_AGAIN,
      ],
      needsOrgAdmin: true,
    };
  }
  if (error === 'access_denied' || error === 'access-denied') {
    return {
      title: 'Access was not allowed',
      reason: 'The person signing in chose Deny on the Salesforce page that asks to allow access.',
      steps: ['Connect again and choose Allow.'],
      needsOrgAdmin: false,
    };
  }
  if (error === 'inactive_user') {
    return {
      title: 'The Salesforce user is inactive',
      reason: "The org's admin deactivated the user who signed in.",
      steps: ['Sign in as an active user, or have the admin reactivate this one.', CONNECT_AGAIN],
      needsOrgAdmin: true,
    };
  }
  if (error === 'inactive_org') {
    return {
      title: 'The Salesforce org is not active',
      reason: 'Salesforce reports the org as locked, closed or suspended.',
      steps: ['Contact Salesforce about the org, or connect another org.'],
      needsOrgAdmin: true,
    };
  }
  if (error === 'invalid_scope') {
    return {
      title: 'The app does not allow the access this service needs',
      reason: 'The app this service signs in with lacks the OAuth scopes it asks for.',
      steps: [
        'In the app\'s OAuth settings, select the scopes "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)".',
        CONNECT_AGAIN,
      ],
      needsOrgAdmin: true,
    };
  }
  if (error === 'redirect_uri_mismatch') {
    return {
      title: "The app's callback URL does not match",
      reason: `Salesforce accepts only the callback URLs the app lists, and ${context.redirectUri} is not one of them.`,
      steps: [`In the app's OAuth settings, add the callback URL ${context.redirectUri}.`, CONNECT_AGAIN],
      needsOrgAdmin: true,
    };
  }
  if (error === 'invalid_client_id' || error === 'invalid_client') {
    return {
      title: 'Salesforce does not know this app',
      reason:
        "The login host did not recognise the app's consumer key or secret: the app may have been deleted, or it belongs to another kind of org (a production app used at the sandbox login, or the reverse).",
      steps: [
        'Check the login choice (production, sandbox or My Domain) and connect again.',
        "If it persists, the service's operator must check the app's consumer key and secret.",
      ],
      needsOrgAdmin: false,
    };
  }
  if (error === 'invalid_grant') {
    return {
      title: 'The sign-in could not be completed',
      reason:
        'Salesforce did not accept the authorization code: it expired, was already used, or was issued by another login host.',
      steps: ['Connect again; if the org is a sandbox, choose the sandbox login or its My Domain.'],
      needsOrgAdmin: false,
    };
  }
  if (error === 'rate_limit_exceeded') {
    return {
      title: 'Too many sign-ins',
      reason: 'Salesforce limits how often a user may sign in in an hour.',
      steps: ['Wait a while, then connect again.'],
      needsOrgAdmin: false,
    };
  }
  return {
    title: 'Salesforce did not authorize the connection',
    reason: description || error,
    steps: [
      "Check the app's policies in Salesforce Setup (Connected Apps OAuth Usage, or External Client App Manager) and the user's permissions.",
      CONNECT_AGAIN,
    ],
    needsOrgAdmin: true,
  };
}

export function explainAuthorizationRefusal(
  error: string,
  description: string | undefined,
  context: { redirectUri: string },
): AuthorizationRefusal {
  return {
    salesforce: { error, ...(description ? { description } : {}) },
    ...explain(error, description ?? '', context),
  };
}
