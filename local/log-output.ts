import { ID_KEYS } from '../shared/logging/service-logger';

/**
 * `npm start`'s log, for a person at a terminal: every structured line (the functions' Powertools
 * JSON and the local stack's own) becomes one short line: time, level, service, message, the ids
 * it is about, then the rest as key=value. `LOG_FORMAT=json` keeps the JSON as the functions
 * write it in AWS.
 */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Short names for the ids, in the order they are printed. */
const ID_LABELS: Record<(typeof ID_KEYS)[number], string> = {
  requestId: 'request',
  siteId: 'site',
  runId: 'run',
  notificationId: 'notification',
  opportunityId: 'opportunity',
  quoteId: 'quote',
  companyId: 'company',
  personId: 'person',
};
/** Repeated on every line or only for machines: left out of the text form. */
const HIDDEN = new Set([
  'timestamp',
  'level',
  'service',
  'message',
  'lambdaRequestId',
  'coldStart',
  'xrayTraceId',
]);
const MAX_VALUE = 160;

function time(timestamp: unknown): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function text(value: unknown): string {
  let out: string;
  if (typeof value === 'string') out = value;
  else if (value instanceof Object && 'message' in value && 'name' in value) {
    // Powertools' error shape: name, message, stack, cause; the stack stays in the JSON form.
    const error = value as { name: unknown; message: unknown; cause?: unknown };
    out = `${error.name}: ${error.message}${error.cause ? ` (cause: ${text(error.cause)})` : ''}`;
  } else if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) out = value.join(',');
  else out = JSON.stringify(value);
  if (out.length > MAX_VALUE) out = `${out.slice(0, MAX_VALUE - 1)}…`;
  return /[\s"=]/.test(out) || out === '' ? JSON.stringify(out) : out;
}

/** One structured line as a person reads it. */
export function formatLogLine(line: Record<string, unknown>): string {
  const head = [
    time(line.timestamp),
    String(line.level ?? 'INFO').padEnd(5),
    String(line.service ?? 'local').padEnd(20),
    String(line.message ?? ''),
  ].join(' ');
  const parts: string[] = [];
  for (const key of ID_KEYS) {
    const value = line[key];
    if (value === undefined || value === null) continue;
    // A gateway request id is a UUID; its first 8 characters find it in the JSON form.
    const shown = key === 'requestId' && typeof value === 'string' ? value.slice(0, 8) : value;
    parts.push(`${ID_LABELS[key]}=${text(shown)}`);
  }
  for (const [key, value] of Object.entries(line)) {
    if (HIDDEN.has(key) || (ID_KEYS as readonly string[]).includes(key) || value === undefined) continue;
    if (key === 'audit' && value instanceof Object) {
      for (const [auditKey, auditValue] of Object.entries(value))
        parts.push(`${auditKey}=${text(auditValue)}`);
      continue;
    }
    parts.push(`${key}=${text(value)}`);
  }
  return parts.length > 0 ? `${head}  ${parts.join(' ')}` : head;
}

/** A chunk that is exactly one JSON log line: the object, else undefined. */
function logRecordOf(chunk: string): Record<string, unknown> | undefined {
  if (!chunk.startsWith('{') || !chunk.endsWith('}\n')) return undefined;
  try {
    const parsed = JSON.parse(chunk) as unknown;
    return parsed instanceof Object && 'level' in parsed && 'message' in parsed
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites the JSON log lines written to `stream` (Powertools writes each as one chunk) as text;
 * anything else (the banner) passes unchanged. Local only: in AWS the lines stay JSON.
 */
export function writeLogsAsText(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const record = typeof chunk === 'string' ? logRecordOf(chunk) : undefined;
    return write(record ? `${formatLogLine(record)}\n` : chunk, ...rest);
  }) as typeof stream.write;
}
