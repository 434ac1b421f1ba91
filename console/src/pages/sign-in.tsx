import { useState } from 'preact/hooks';
import type { SignInConfig } from '../api/types';
import { beginSignIn } from '../lib/sign-in';
import { Banner, Outcome, useAction } from '../ui/feedback';
import { Field } from '../ui/form';

/**
 * Sign-in: the sign-in provider's page (Cognito's managed login, or locally the stack's own),
 * and locally also the operator's admin token.
 */
export function SignInPage({
  config,
  reason,
  problem,
  returnTo,
  onAdminToken,
}: {
  config: SignInConfig | undefined;
  reason?: string | undefined;
  problem?: string | undefined;
  returnTo: string;
  onAdminToken: (token: string) => void;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const start = useAction();
  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <p class="brand">Quote Sync</p>
        <h1 tabIndex={-1}>Sign in</h1>
        {reason && <Banner kind="info">{reason}</Banner>}
        {problem && <Banner kind="error">{problem}</Banner>}
        <p class="lead">Sign in to set up your site's Salesforce integration and work on its quotes.</p>
        <div class="actions">
          <button
            type="button"
            class="button primary wide"
            disabled={!config || start.busy}
            onClick={() => {
              if (config) void start.run('Opening the sign-in page', () => beginSignIn(config, returnTo));
            }}
          >
            Sign in
          </button>
          <Outcome status={start.status} />
        </div>
        {config?.provider === 'local' && (
          <>
            <p class="divider">or, on this local stack</p>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                const value = token.trim();
                if (!value) {
                  setError('Enter the admin token.');
                  return;
                }
                onAdminToken(value);
              }}
            >
              <Field
                label="Admin token"
                hint="The operator's bearer token that npm start prints: an admin of every site."
                error={error}
              >
                {(props) => (
                  <input
                    {...props}
                    type="password"
                    autoComplete="current-password"
                    value={token}
                    onInput={(event) => {
                      setToken(event.currentTarget.value);
                      setError(undefined);
                    }}
                  />
                )}
              </Field>
              <button type="submit" class="button">
                Sign in with the admin token
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
