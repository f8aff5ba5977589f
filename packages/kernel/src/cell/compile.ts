// The cell pipeline end to end: strip types (sucrase), rewrite for notebook semantics (acorn),
// check the imports against the kernel's modules, and wrap the body in an async function that
// runs inside `with (scope)` — the shared scope object of the notebook — in strict mode. The
// compiled function carries a sourceURL so that stack frames name the cell; `toSource` maps
// their positions back through the rewrite and the type stripping to the cell's own text.
import { LineIndex } from "./edits.js";
import { HELPERS, RewriteError, rewriteCell } from "./rewrite.js";
import { StripError, stripTypes } from "./strip_types.js";
import { CellSourceError, ImportError } from "../runtime/errors.js";

/** The modules cells may import, by specifier: the runtime's own instances. */
export type ModuleTable = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface CompileOptions {
  /** How tracebacks name the cell, e.g. "Cell [3]". */
  label: string;
  modules: ModuleTable;
  /** Names bound in every cell (display, timeit, console, …), passed in when the cell runs. */
  builtins: readonly string[];
  /** Allow JSX (a .tsx cell). */
  jsx?: boolean;
}

/** What the kernel hands a running cell (HELPERS.runtime inside the cell). */
export interface CellRuntime {
  check(): void;
  afterAwait<T>(value: T): T;
  dynamicImport(specifier: string): Promise<unknown>;
  module(specifier: string): unknown;
}

export interface CompiledCell {
  readonly label: string;
  readonly source: string;
  readonly sourceUrl: string;
  readonly declared: readonly string[];
  readonly hasResult: boolean;
  /** Run the cell: resolves to the value of its last expression (undefined without one). */
  run(scope: object, runtime: CellRuntime, builtins: readonly unknown[]): Promise<unknown>;
  /** Map a 1-based line / 0-based column of the compiled code to the cell source (null: wrapper code). */
  toSource(line: number, column: number): { line: number; column: number } | null;
}

let compiledCount = 0;

export function compileCell(source: string, options: CompileOptions): CompiledCell {
  const sourceIndex = new LineIndex(source);
  const fail = (e: Error, pos: { line: number; column: number }): never => {
    throw new CellSourceError(e, { label: options.label, line: pos.line, column: pos.column, text: sourceIndex.lineText(pos.line) });
  };

  let stripped;
  try {
    stripped = stripTypes(source, { jsx: options.jsx });
  } catch (e) {
    if (e instanceof StripError) fail(e, sourceIndex.position(e.pos));
    throw e;
  }
  const jsIndex = new LineIndex(stripped.js);
  const jsToSource = (offset: number) => {
    const p = jsIndex.position(offset);
    return stripped.map.original(p.line, p.column);
  };

  let rewritten;
  try {
    rewritten = rewriteCell(stripped.js);
  } catch (e) {
    if (e instanceof RewriteError) fail(e, jsToSource(e.pos));
    throw e;
  }

  for (const b of [...rewritten.imports, ...rewritten.bareImports.map((m) => ({ ...m, imported: "*" }))]) {
    const mod = options.modules[b.module];
    if (mod === undefined) fail(new ImportError(unknownModuleMessage(b.module, options.modules)), jsToSource(b.start));
    if (b.imported !== "*" && b.imported !== "default" && !(b.imported in mod!)) {
      const e = new SyntaxError(`The requested module '${b.module}' does not provide an export named '${b.imported}'`);
      fail(e, jsToSource(b.start));
    }
  }

  const { scope, runtime, check, afterAwait, dynamicImport } = HELPERS;
  const prologue = [
    `"use strict"; const ${check} = ${runtime}.check, ${afterAwait} = ${runtime}.afterAwait, ${dynamicImport} = ${runtime}.dynamicImport;`,
    ...rewritten.imports.map((b) => {
      const mod = `${runtime}.module(${JSON.stringify(b.module)})`;
      const value = b.imported === "*" ? mod : b.imported === "default" ? `(${mod}.default ?? ${mod})` : `${mod}[${JSON.stringify(b.imported)}]`;
      return `${scope}[${JSON.stringify(b.local)}] = ${value};`;
    }),
    ...rewritten.functions.map((f) => `${scope}[${JSON.stringify(f)}] = ${f};`),
  ].join(" ");
  const sourceUrl = `kiln-cell-${++compiledCount}.js`;
  const code =
    `(function (${scope}, ${runtime}, ${options.builtins.join(", ")}) { with (${scope}) { return (async function () { ${prologue}\n` +
    `${rewritten.body}\n}).call(undefined); } })\n//# sourceURL=${sourceUrl}`;

  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    fn = (0, eval)(code);
  } catch (e) {
    // acorn accepted the cell, the JS engine did not (e.g. syntax acorn knows and this engine not).
    const err = e instanceof Error ? e : new SyntaxError(String(e));
    return fail(err, { line: 1, column: 0 });
  }

  const bodyIndex = new LineIndex(rewritten.body);
  return {
    label: options.label,
    source,
    sourceUrl,
    declared: [...rewritten.declared, ...rewritten.functions, ...rewritten.imports.map((b) => b.local)],
    hasResult: rewritten.hasResult,
    run(scopeObject, rt, builtins) {
      for (const name of rewritten.declared) if (!(name in scopeObject)) (scopeObject as Record<string, unknown>)[name] = undefined;
      return fn(scopeObject, rt, ...builtins);
    },
    toSource(line, column) {
      const bodyLine = line - 1;
      if (bodyLine < 1 || bodyLine > bodyIndex.lineCount) return null;
      return jsToSource(rewritten.toInput(bodyIndex.offset(bodyLine, column)));
    },
  };
}

function unknownModuleMessage(specifier: string, modules: ModuleTable): string {
  const available = Object.keys(modules).map((m) => `"${m}"`);
  const list = available.length <= 1 ? available.join("") : `${available.slice(0, -1).join(", ")} and ${available.at(-1)}`;
  return `Cannot find module "${specifier}": notebook cells can import only ${list} (the notebook's own instances).`;
}
