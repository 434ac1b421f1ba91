import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

/**
 * Every action shows that it runs and how it ended: `useAction` tracks one action, `<Outcome>`
 * shows its progress, success or the API's `detail`. Nothing fails silently.
 */
export type ActionState =
  | { state: 'idle' }
  | { state: 'busy'; label: string }
  | { state: 'done'; message: string }
  | { state: 'failed'; error: ApiError };

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, error instanceof Error ? error.message : String(error));
}

export function useAction() {
  const [status, setStatus] = useState<ActionState>({ state: 'idle' });
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    async <T,>(
      label: string,
      work: () => Promise<T>,
      done?: (result: T) => string,
    ): Promise<T | undefined> => {
      setStatus({ state: 'busy', label });
      try {
        const result = await work();
        if (mounted.current) setStatus({ state: 'done', message: done ? done(result) : 'Done.' });
        return result;
      } catch (error) {
        if (mounted.current) setStatus({ state: 'failed', error: asApiError(error) });
        return undefined;
      }
    },
    [],
  );
  const reset = useCallback(() => setStatus({ state: 'idle' }), []);
  return { status, run, reset, busy: status.state === 'busy' };
}

/** The issues of a failed action by field path, to mark each field with its message. */
export function issuesOf(status: ActionState): Map<string, string> {
  const issues = new Map<string, string>();
  if (status.state === 'failed')
    for (const issue of status.error.issues) issues.set(issue.path, issue.message);
  return issues;
}

export function Outcome({ status, id }: { status: ActionState; id?: string }) {
  switch (status.state) {
    case 'idle':
      return <span class="outcome" id={id} role="status" />;
    case 'busy':
      return (
        <span class="outcome busy" id={id} role="status">
          <span class="spinner" aria-hidden="true" />
          {status.label}…
        </span>
      );
    case 'done':
      return (
        <span class="outcome ok" id={id} role="status">
          {status.message}
        </span>
      );
    case 'failed':
      return <ErrorText error={status.error} id={id} />;
  }
}

export function ErrorText({ error, id }: { error: ApiError; id?: string }) {
  const fields = error.issues;
  return (
    <span class="outcome failed" id={id} role="alert">
      {error.message}
      {error.status === 0 ? '' : ` (${error.status})`}
      {fields.length > 0 && (
        <ul class="issue-list">
          {fields.map((issue) => (
            <li key={issue.path}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

export function Banner({
  kind,
  title,
  stacked,
  children,
}: {
  kind: 'info' | 'warning' | 'error' | 'success';
  title?: string;
  /** The title above a body of paragraphs and lists, instead of beside one line. */
  stacked?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <div
      class={`banner banner-${kind}${stacked ? ' banner-stacked' : ''}`}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      {title && <strong class="banner-title">{title}</strong>}
      <div class="banner-body">{children}</div>
    </div>
  );
}

/** Loads data for a page; `reload` loads it again after a change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<
    { state: 'loading' } | { state: 'ready'; data: T } | { state: 'failed'; error: ApiError }
  >({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  useEffect(() => {
    let current = true;
    load()
      .then(
        (data) => current && setValue({ state: 'ready', data }),
        (error: unknown) => current && setValue({ state: 'failed', error: asApiError(error) }),
      )
      .finally(() => current && setRefreshing(false));
    return () => {
      current = false;
    };
  }, [...deps, version]);
  /** Loads again, keeping what is shown until the new answer is there. */
  const reload = useCallback(() => {
    setRefreshing(true);
    setVersion((v) => v + 1);
  }, []);
  return { ...value, reload, refreshing, set: (data: T) => setValue({ state: 'ready', data }) };
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}
