import { assessOrg } from '../../../shared/domain/org-editions';

const ok = { ok: true } as const;

describe('editions that cannot run the integration', () => {
  it('an Enterprise org with both APIs can', () => {
    const assessment = assessOrg({
      organization: { name: 'Acme', edition: 'Enterprise Edition', isSandbox: false },
      api: ok,
      metadataApi: ok,
    });
    expect(assessment).toMatchObject({
      supported: true,
      edition: 'Enterprise Edition',
      isSandbox: false,
      lacks: [],
    });
  });

  it('an org without API access is named by what it lacks, even when its edition cannot be read', () => {
    const assessment = assessOrg({
      api: {
        ok: false,
        errorCode: 'API_DISABLED_FOR_ORG',
        message: 'API is not enabled for this Organization or Partner',
      },
      metadataApi: { ok: false, errorCode: 'API_DISABLED_FOR_ORG', message: 'API is not enabled' },
    });
    expect(assessment.supported).toBe(false);
    expect(assessment.edition).toBeNull();
    expect(assessment.lacks.map((l) => l.capability)).toEqual(['api', 'metadata-api']);
    expect(assessment.summary).toMatch(
      /^An org whose edition could not be read cannot run the integration: the org has no API access/,
    );
  });

  it('an edition without flows and outbound messages is refused by name', () => {
    const assessment = assessOrg({
      organization: { name: 'Small Co', edition: 'Essentials', isSandbox: false },
      api: ok,
      metadataApi: ok,
    });
    expect(assessment.supported).toBe(false);
    expect(assessment.summary).toMatch(
      /^Essentials cannot run the integration: Essentials has no record-triggered flows/,
    );
  });

  it('a user without metadata permissions is told which permission it needs', () => {
    const assessment = assessOrg({
      organization: { name: 'Acme', edition: 'Professional Edition', isSandbox: true },
      api: ok,
      metadataApi: {
        ok: false,
        errorCode: 'INSUFFICIENT_ACCESS',
        message:
          'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
      },
    });
    expect(assessment.lacks[0]?.reason).toMatch(/Modify Metadata Through Metadata API Functions/);
  });
});
