// The app's Monaco entry, loaded with a dynamic import the first time a cell editor is needed:
// it provides Monaco's web workers (the editor worker and TypeScript's) and hands the TypeScript
// service the engine's and plot package's types, generated at build time.
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import typeLibs from "virtual:kiln/type-libs";
import * as setup from "@kiln/ui/monaco";

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker();
  },
};

setup.configureTypeScript(typeLibs);

export { setup };
