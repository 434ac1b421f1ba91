import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The esbuild settings every function is bundled with (CDK hands them to the local esbuild);
 * `npm run bench -- bundles` builds with the same ones, so its sizes are the deployed ones.
 */
export const BUNDLE_SETTINGS = {
  minify: true,
  sourceMap: true,
  // The map only needs names and lines for stack traces; the sources would double the asset.
  sourcesContent: false,
  target: 'node24',
} as const;

/** Tag carried by every function built from a handler in lambdas/, so tests can tell ours from CDK helpers. */
export const HANDLER_TAG = 'quote-sync:handler';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface HouseFunctionProps {
  /** The folder name under lambdas/, e.g. `ack-outbound-message`. */
  readonly handlerName: string;
  /** Absolute path of `lambdas/<name>/handler.ts`. */
  readonly entry: string;
  /** The repository root: where package-lock.json is and what esbuild may read. */
  readonly projectRoot: string;
  readonly description: string;
  /** Explicit on purpose: the Lambda defaults (3 s, 128 MB) suit none of our handlers. */
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logLevel: LogLevel;
  readonly environment?: Record<string, string>;
  /**
   * Use the AWS SDK that the Lambda runtime provides instead of bundling the pinned one: a
   * smaller bundle and a faster cold start, for functions on the latency path.
   */
  readonly runtimeAwsSdk?: boolean;
  /**
   * Bundle each package from its ES modules where it has them (esbuild's main fields `module`,
   * then `main`): esbuild can then leave out what the function never calls, which its CommonJS
   * files (one file per AWS SDK client) do not allow. Less code to load on a cold start.
   */
  readonly esModules?: boolean;
  /**
   * Files the code reads at run time (fonts), copied into the bundle's folder after esbuild:
   * `from` is an absolute path, `to` a path relative to the bundle's index.js.
   */
  readonly bundledFiles?: ReadonlyArray<BundledFile>;
  readonly logRetention?: RetentionDays;
}

export interface BundledFile {
  readonly from: string;
  readonly to: string;
}

/** POSIX shell quoting for the copy commands (paths may hold spaces). */
const shellQuote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

/** The shell commands that copy `files` into a bundle folder (run by CDK after bundling). */
export function copyCommands(files: ReadonlyArray<BundledFile>, outputDir: string): string[] {
  return files.map((file) => {
    const target = join(outputDir, file.to);
    return `mkdir -p ${shellQuote(dirname(target))} && cp ${shellQuote(file.from)} ${shellQuote(target)}`;
  });
}

/**
 * A Node.js Lambda with the house defaults: bundled by the local esbuild (no Docker), minified
 * with source maps, Node.js 24 on ARM64 (Graviton), JSON logs into its own log group with a
 * retention, Powertools settings, and a role that starts with no permissions at all — the
 * caller grants exactly what the handler needs with `grant*`.
 */
export class HouseFunction extends NodejsFunction {
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs are evidence after an incident: keep them when the function is replaced or removed.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An own role instead of the default AWSLambdaBasicExecutionRole managed policy, which lets a
    // function write to any log group in the account.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.handlerName} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role,
      logGroup,
      // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handlerName,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        ...BUNDLE_SETTINGS,
        format: OutputFormat.CJS,
        // By default, bundle the pinned SDK clients the tests ran against, not the runtime's copy.
        bundleAwsSDK: !props.runtimeAwsSdk,
        externalModules: props.runtimeAwsSdk ? ['@aws-sdk/*'] : [],
        ...(props.esModules ? { mainFields: ['module', 'main'] } : {}),
        ...(props.bundledFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) =>
                  copyCommands(props.bundledFiles ?? [], outputDir),
              },
            }
          : {}),
      },
    });
    this.handlerName = props.handlerName;
    Tags.of(this).add(HANDLER_TAG, props.handlerName);
  }
}
