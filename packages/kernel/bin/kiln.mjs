#!/usr/bin/env node
// The `kiln` command (npm bin of @kiln/kernel): `kiln run notebook.ipynb`. It runs the kernel
// compiled to dist/ by the root `prepare` step (npm install) or `npm run build -w @kiln/kernel`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/node/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("kiln: the kernel is not built yet; run `npm install` (or `npm run build`) at the repository root.\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
// Let Node exit by itself once pending work (output, device callbacks) is done; a backend that
// keeps polling would hold the process open, so exit for it after a grace period.
setTimeout(() => process.exit(), 3000).unref();
