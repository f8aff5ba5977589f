// Runs every benchmark in bench/ in turn (each prints its own table). Run: npm run bench
// A script that fails (non-zero exit, signal, or could not start) is reported and the rest still
// run; the exit code is non-zero if any failed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const failed = [];
for (const f of readdirSync(here).filter((n) => n.endsWith(".mjs") && n !== "run.mjs").sort()) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, [join(here, f)], { stdio: "inherit" });
  if (r.status !== 0) {
    const why = r.error ? `could not start: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    console.log(`\n(${f} failed: ${why})`);
    failed.push(f);
  }
}
if (failed.length) {
  console.log(`\nbench: ${failed.length} script(s) failed: ${failed.join(", ")}`);
  process.exitCode = 1;
}
