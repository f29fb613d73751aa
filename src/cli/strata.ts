/**
 * The `strata` program (built to dist/cli/strata.js, the package's `bin`): runs the command line
 * and exits with its code. A closed pipe on standard output (`strata cat … | head`) ends quietly.
 */
import { EXIT_OK } from './exit-codes.ts';
import { main } from './main.ts';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK);
});
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
