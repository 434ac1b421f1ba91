import { awsEnvironmentFor, startEmulators } from './emulators';

/**
 * The emulators alone, in their own process: benchmarks use it so that emulator work does not
 * share an event loop with the code being measured. Prints the AWS environment as one JSON line.
 */
async function main() {
  const emulators = await startEmulators();
  console.log(JSON.stringify(awsEnvironmentFor(emulators)));
  const stop = () => void emulators.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
