// Monaco, assembled from the parts a notebook cell needs (not the whole editor.main): the editor
// API, editing contributions (suggest, hover, parameter hints, find, comments, brackets…), and
// the TypeScript language with its worker. This module is only ever loaded with a dynamic
// import, so none of it is in the page's first download. The app supplies the web workers
// (MonacoEnvironment) and the type libraries (the engine's .d.ts, generated at build time).
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/bracketMatching/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/comment/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/hover/register";
import "monaco-editor/features/indentation/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/multicursor/register";
import "monaco-editor/features/parameterHints/register";
import "monaco-editor/features/smartSelect/register";
import "monaco-editor/features/snippet/register";
import "monaco-editor/features/suggest/register";
import "monaco-editor/features/wordHighlighter/register";
import "monaco-editor/features/wordOperations/register";
import "monaco-editor/features/gotoError/register";
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
  const options = {
    target: 99, // ESNext
    module: 99, // ESNext
    moduleResolution: MODULE_RESOLUTION_BUNDLER,
    moduleDetection: MODULE_DETECTION_FORCE,
    lib: ["esnext", "webworker"],
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
