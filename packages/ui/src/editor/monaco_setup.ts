// Monaco, assembled from the parts a notebook cell needs (not every language of editor.main): the
// editor API, its editing contributions, TypeScript (language service and worker) and markdown.
// This module is only ever loaded with a dynamic import, so none of it is in the page's first
// download. The app supplies the web workers (MonacoEnvironment) and the type libraries (the
// engine's .d.ts, generated at build time).
import * as monaco from "monaco-editor/editor/editor.api";
// The editor's contributions (suggest, hover, parameter hints, find, …) and the services they
// need, registered before the first editor exists. The TypeScript language service module imports
// this same set when it loads; loaded only then (after editors exist) its services would arrive too
// late ("depends on UNKNOWN service"), so it is imported here, up front.
import "monaco-editor/internal/common/workers";
import "monaco-editor/languages/definitions/typescript/register";
import "monaco-editor/languages/definitions/markdown/register";
import { typescriptDefaults } from "monaco-editor/languages/features/typescript/register";
import { BUILTINS_LIB, type TypeLib } from "./cell_libs.js";

export type Monaco = typeof monaco;
export { monaco };

/** TypeScript 5.x's values for options Monaco's enums do not list. */
const MODULE_RESOLUTION_BUNDLER = 100;
const MODULE_DETECTION_FORCE = 3;

/** Diagnostics that notebook code triggers without being wrong. */
const IGNORED_DIAGNOSTICS = [
  1375, // 'await' at top level needs a module: every cell is one (moduleDetection: force)
  1378, // top-level await needs target ≥ es2017
  2362, // arithmetic on an object: Kiln arrays convert to numbers (Symbol.toPrimitive, DESIGN §5)
  2363,
  2365, // `x > 0` on an array: the same conversion, which grad relies on
  2451, // redeclared block-scoped variable (a cell may redefine a name)
  6133, // declared but never read: notebooks declare for later cells
  7006, // implicit any parameter (strict, but arrow functions in cells are untyped on purpose)
  7031, // implicit any binding element
  80001, // "file is a CommonJS module"
  80005,
];

let configured = false;

/** Compiler options, builtins and the engine's libraries, once per page. */
export function configureTypeScript(libs: readonly TypeLib[]): void {
  if (configured) return;
  configured = true;
  // moduleResolution and moduleDetection take TypeScript's own numbers, beyond Monaco's enums.
  const options: Record<string, unknown> = {
    target: 99, // ESNext
    module: 99, // ESNext
    moduleResolution: MODULE_RESOLUTION_BUNDLER,
    moduleDetection: MODULE_DETECTION_FORCE,
    // File names, not tsconfig's short names: these options skip tsconfig's parsing. Cells run in
    // a worker, so the worker's globals (console, performance, fetch), not the DOM's.
    lib: ["lib.esnext.d.ts", "lib.webworker.d.ts", "lib.webworker.iterable.d.ts", "lib.webworker.asynciterable.d.ts"],
    strict: true,
    noImplicitAny: false,
    allowNonTsExtensions: true,
    skipLibCheck: true,
    esModuleInterop: true,
  };
  typescriptDefaults.setCompilerOptions(options as Parameters<typeof typescriptDefaults.setCompilerOptions>[0]);
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS });
  typescriptDefaults.setEagerModelSync(true);
  for (const lib of [BUILTINS_LIB, ...libs]) typescriptDefaults.addExtraLib(lib.content, lib.path);
}

const cellLibDisposables = new Map<string, { content: string; dispose: () => void }>();

/** Replace the libraries generated from the notebook's cells (only changed files are resent). */
export function setCellLibs(libs: readonly TypeLib[]): void {
  const wanted = new Map(libs.map((l) => [l.path, l.content]));
  for (const [path, entry] of cellLibDisposables) {
    if (wanted.get(path) !== entry.content) {
      entry.dispose();
      cellLibDisposables.delete(path);
    }
  }
  for (const [path, content] of wanted) {
    if (cellLibDisposables.has(path)) continue;
    const d = typescriptDefaults.addExtraLib(content, path);
    cellLibDisposables.set(path, { content, dispose: () => d.dispose() });
  }
}

/** The editor theme that matches the page (light or dark). */
export function themeFor(dark: boolean): string {
  return dark ? "vs-dark" : "vs";
}
