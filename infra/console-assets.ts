/**
 * Where the console's sources and built files live: `npm run build:console` writes the build
 * into CONSOLE_DIST, which `npm start` serves at `/` and the CDK app uploads to the console
 * bucket. No CDK here, so the local stack can load it.
 */
export const CONSOLE_DIR = 'console';
export const CONSOLE_DIST = 'console/dist';
/** The npm script that builds it. */
export const CONSOLE_BUILD_SCRIPT = 'build:console';
