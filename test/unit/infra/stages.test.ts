import { parseStageConfig, resolveStage, StageConfigError, stages } from '../../../infra/config/stages';
import { devInput } from './support';

describe('stage configuration', () => {
  it('defaults to dev, whose placeholder values are valid so synth works offline', () => {
    const { name, config } = resolveStage({});
    expect(name).toBe('dev');
    expect(config.account).toMatch(/^\d{12}$/);
    expect(config.logLevel).toBe('DEBUG');
  });

  it('validates every stage in the repository', () => {
    for (const [name, input] of Object.entries(stages)) {
      expect(() => parseStageConfig(name, input)).not.toThrow();
    }
  });

  it('lets the deploy workflow override the region', () => {
    expect(resolveStage({ stage: 'dev', region: 'eu-central-1' }).config.region).toBe('eu-central-1');
  });

  it('names the bad field in the error', () => {
    expect(() => parseStageConfig('dev', { ...devInput(), alarmEmail: 'not-an-address' })).toThrow(
      /Stage 'dev' has an invalid configuration: alarmEmail: must be an e-mail address/,
    );
    expect(() => resolveStage({ stage: 'dev', region: 'Europe' })).toThrow(/region: must be an AWS region/);
    expect(() =>
      parseStageConfig('dev', { ...devInput(), salesforceLoginUrl: 'http://login.salesforce.com' }),
    ).toThrow(/salesforceLoginUrl: must be an https:\/\/ URL/);
    const { account: _account, ...withoutAccount } = devInput();
    expect(() => parseStageConfig('dev', withoutAccount)).toThrow(/account: /);
  });

  it('rejects unknown keys and malformed optional blocks', () => {
    expect(() => parseStageConfig('dev', { ...devInput(), acount: '123456789012' })).toThrow(
      StageConfigError,
    );
    expect(() =>
      parseStageConfig('dev', {
        ...devInput(),
        domain: {
          name: 'hooks.example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc-123',
          truststoreUri: 'https://bucket/key',
        },
      }),
    ).toThrow(/domain\.truststoreUri: must be s3:\/\/bucket\/key/);
    expect(() =>
      parseStageConfig('dev', { ...devInput(), signIn: { domainPrefix: 'my-cognito-pool' } }),
    ).toThrow(/signIn\.domainPrefix: must not contain aws, amazon or cognito/);
    expect(() =>
      parseStageConfig('dev', {
        ...devInput(),
        console: {
          domainName: 'console.example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc-123',
        },
      }),
    ).toThrow(/console\.certificateArn: must be an ACM certificate ARN in us-east-1/);
  });

  it('names the known stages when asked for an unknown one', () => {
    expect(() => resolveStage({ stage: 'qa' })).toThrow(/Unknown stage 'qa'\. Known stages: dev/);
    expect(() => resolveStage({ stage: 'Not A Name' })).toThrow(
      /Context 'stage' must be a short lower-case name/,
    );
  });
});
