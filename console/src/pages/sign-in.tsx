import { useState } from 'preact/hooks';
import type { Session } from '../lib/session';
import { Banner } from '../ui/feedback';
import { Field } from '../ui/form';

/** Sign-in with the local admin token (locally, the token `npm start` prints). */
export function SignInPage({
  reason,
  onSignedIn,
}: {
  reason?: string | undefined;
  onSignedIn: (session: Session) => void;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <p class="brand">Quote Sync</p>
        <h1 tabIndex={-1}>Sign in</h1>
        {reason && <Banner kind="info">{reason}</Banner>}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const value = token.trim();
            if (!value) {
              setError('Enter the admin token.');
              return;
            }
            onSignedIn({ token: value, label: 'the admin token' });
          }}
        >
          <Field
            label="Admin token"
            hint="The bearer token of the site administrator (npm start prints it)."
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
          <button type="submit" class="button primary">
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
