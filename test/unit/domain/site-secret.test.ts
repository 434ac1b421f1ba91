import {
  hashWebhookSecret,
  PREVIOUS_SECRET_GRACE_MS,
  type Site,
  siteAcceptsSecret,
} from '../../../shared/domain/site';

const rotatedAt = new Date('2026-11-26T10:00:00.000Z');
const site: Site = {
  siteId: 'acme',
  name: 'Acme',
  webhookSecretHash: hashWebhookSecret('new-secret'),
  webhookSecretGeneration: 2,
  previousWebhookSecretHash: hashWebhookSecret('old-secret'),
  previousSecretValidUntil: new Date(rotatedAt.getTime() + PREVIOUS_SECRET_GRACE_MS).toISOString(),
  createdAt: rotatedAt.toISOString(),
  updatedAt: rotatedAt.toISOString(),
};
const at = (hoursAfterRotation: number) => new Date(rotatedAt.getTime() + hoursAfterRotation * 3_600_000);

test('the current secret is accepted at any time', () => {
  expect(siteAcceptsSecret(site, 'new-secret', at(0))).toBe(true);
  expect(siteAcceptsSecret(site, 'new-secret', at(1000))).toBe(true);
});

test("the previous secret is accepted within Salesforce's 24-hour retry window, not after", () => {
  expect(siteAcceptsSecret(site, 'old-secret', at(23.9))).toBe(true);
  expect(siteAcceptsSecret(site, 'old-secret', at(24))).toBe(false);
});

test('anything else is refused, and a site never rotated has no previous secret', () => {
  expect(siteAcceptsSecret(site, 'guess', at(1))).toBe(false);
  const { previousWebhookSecretHash: _h, previousSecretValidUntil: _u, ...fresh } = site;
  expect(siteAcceptsSecret(fresh, 'old-secret', at(1))).toBe(false);
});
