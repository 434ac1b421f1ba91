/**
 * The console's security headers, on every answer of its origin: the local gateway sends them
 * itself, CloudFront's response headers policy sends the same (infra/). One list for both.
 *
 * The Content-Security-Policy allows nothing inline and nothing from elsewhere: scripts, styles,
 * fonts and images come from the console's own files; the app talks to its own origin (the
 * admin API is on it) and to the sign-in's token endpoint; the PDF preview shows a quote's PDF
 * from a blob: URL in a frame (or renders it in a worker); no page may frame the console.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy
 */
export interface ConsolePolicyOptions {
  /** Origins the app may also fetch from: Cognito's token endpoint, in AWS. */
  connectSources?: readonly string[];
}

export function contentSecurityPolicy(options: ConsolePolicyOptions = {}): string {
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(options.connectSources ?? [])],
    ['frame-src', "'self'", 'blob:'],
    ['worker-src', "'self'", 'blob:'],
    ['manifest-src', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['object-src', "'none'"],
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}

/** Two years, as the HSTS preload list asks. https://hstspreload.org/#deployment-recommendations */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** The headers, by lower-case name. */
export function securityHeaders(options: ConsolePolicyOptions = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    // Older browsers ignore frame-ancestors; this says the same to them.
    'x-frame-options': 'DENY',
    // The console's URLs carry site ids and OAuth results; Salesforce need not see them.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}
