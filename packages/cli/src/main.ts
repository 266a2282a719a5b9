import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Let pending output drain; if a stray handle keeps the process alive, leave anyway.
setTimeout(() => process.exit(code), 3000).unref();
