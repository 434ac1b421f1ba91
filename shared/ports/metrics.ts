/** Counts and durations for dashboards and alarms (CloudWatch via EMF in AWS). */
export interface MetricsRecorder {
  count(name: string, value?: number): void;
  milliseconds(name: string, value: number): void;
  /** A value of one site (the org's remaining API budget): its own metric with a siteId dimension. */
  perSite(name: string, siteId: string, value: number): void;
}
