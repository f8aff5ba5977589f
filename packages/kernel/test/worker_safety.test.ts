// The kernel runs in a Web Worker: outside src/node/ it must not use Node's modules or globals.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

it("worker-side sources import no Node modules and touch no Node globals", () => {
  const offenders: string[] = [];
  for (const file of files(src)) {
    const rel = relative(src, file);
    if (rel.startsWith("node/")) continue;
    const text = readFileSync(file, "utf8");
    for (const pattern of [/from "node:/, /from "(fs|path|os|util|child_process|worker_threads)"/, /\bprocess\./, /\bBuffer\./, /\brequire\(/]) {
      if (pattern.test(text)) offenders.push(`${rel}: ${pattern}`);
    }
  }
  expect(offenders).toEqual([]);
});
