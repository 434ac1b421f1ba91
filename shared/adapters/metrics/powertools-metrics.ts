import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsRecorder } from '../../ports/metrics';

/** Every function's metrics live in one namespace, with the function as the `service` dimension. */
export const METRICS_NAMESPACE = 'QuoteSync';

/**
 * Powertools Metrics: CloudWatch embedded metric format, written with the function's logs and
 * flushed once per invocation (the logMetrics middleware), so no PutMetricData and no IAM.
 * Locally the stack sets POWERTOOLS_METRICS_DISABLED, which keeps EMF out of `npm start`.
 */
/**
 * Metrics' own notices. An invocation that records no metric (a read, a refused request) is
 * normal here, and Powertools' "No application metrics to publish" on each of them was an
 * unstructured line per request in the function's log: that one is dropped.
 */
const notices = {
  debug: () => undefined,
  info: (...content: unknown[]) => console.info(...content),
  warn: (...content: unknown[]) => {
    if (!String(content[0]).startsWith('No application metrics to publish')) console.warn(...content);
  },
  error: (...content: unknown[]) => console.error(...content),
};

export function powertoolsMetrics(serviceName: string): { metrics: Metrics; recorder: MetricsRecorder } {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger: notices });
  return {
    metrics,
    recorder: {
      count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
      milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
      perSite: (name, siteId, value) => {
        const single = metrics.singleMetric();
        single.addDimension('siteId', siteId);
        single.addMetric(name, MetricUnit.Count, value);
      },
    },
  };
}
