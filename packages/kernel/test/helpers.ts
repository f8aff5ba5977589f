// Test helpers: a kernel over the real engine and plots, and a cell runner that returns what the
// notebook would show.
import * as engine from "@kiln/engine";
import * as plot from "@kiln/plot";
import { Kernel, outputText, type ExecuteResult, type KernelOptions } from "../src/index.js";

export function newKernel(options: Partial<KernelOptions> = {}): Kernel {
  return new Kernel({ modules: { "@kiln/engine": engine, "@kiln/plot": plot }, ...options });
}

export interface CellRun extends ExecuteResult {
  /** Every output's text, joined as a terminal shows them. */
  text: string;
  /** The text/plain of the execute_result, if any. */
  value: string | undefined;
  stdout: string;
  stderr: string;
}

export async function run(kernel: Kernel, code: string): Promise<CellRun> {
  const r = await kernel.execute(code);
  const result = r.outputs.find((o) => o.output_type === "execute_result");
  const stream = (name: string) =>
    r.outputs
      .filter((o) => o.output_type === "stream" && o.name === name)
      .map((o) => (o as { text: string }).text)
      .join("");
  return {
    ...r,
    text: r.outputs.map((o) => outputText(o) ?? "").join("\n"),
    value: result ? (result.data["text/plain"] as string) : undefined,
    stdout: stream("stdout"),
    stderr: stream("stderr"),
  };
}
