// @kiln/ui — the notebook's React components and stores (DESIGN §1, §6), marimo's split: the model
// (what the user wrote apart from what the engine produced), the kernel session (queue, interrupt,
// restart over a worker connection), the hotkey registry, output views, the lazy Monaco editor,
// markdown, and autosave. Monaco itself is reachable only through "@kiln/ui/monaco", which the app
// imports dynamically, so this entry point stays small.
export * from "./model/types.js";
export { newCellId, isCellId } from "./model/ids.js";
export {
  createNotebookStore,
  notebookActions,
  editedSinceRun,
  runOf,
  appendOutput,
  type NotebookState,
  type NotebookStore,
  type NotebookActions,
  type Mode,
  type InsertAt,
  type RunFinish,
} from "./model/notebook_store.js";
export * from "./kernel/connection.js";
export { KernelSession, hardStopOutput, type KernelState, type KernelStatus, type KernelStatusStore, type SessionOptions } from "./kernel/session.js";
export { HOTKEYS, HOTKEY_GROUPS, hotkeysIn, type HotkeyAction, type HotkeyHandlers, type HotkeyMode, type HotkeySpec } from "./hotkeys/registry.js";
export { chordOf, displayKey, chordTable, SequenceMatcher, isMacPlatform, type KeyLike } from "./hotkeys/keys.js";
export { parseMarkdown, parseInline, safeHref, type Block, type Inline } from "./markdown/parse.js";
export { Markdown } from "./markdown/Markdown.js";
export { tokenizeJaxpr, type JaxprToken, type JaxprTokenKind } from "./outputs/jaxpr_highlight.js";
export { errorLocation, cellErrorLocation, type ErrorLocation } from "./outputs/error_location.js";
export { sanitizeToFragment } from "./outputs/sanitize_dom.js";
export { OutputRenderersContext, type OutputRenderers, type PlotRenderer, type PlotHandle } from "./outputs/renderers.js";
export { OutputArea, OutputView, BundleView, ErrorView, JaxprView } from "./outputs/OutputArea.js";
export { ArrayView, formatBytes, isArraySummary, type ArraySummary } from "./outputs/ArrayView.js";
export { topLevelDeclarations, type Declarations } from "./editor/declarations.js";
export { cellLibs, BUILTINS_LIB, type TypeLib, type CellForTypes } from "./editor/cell_libs.js";
export { CellEditor, type CellEditorProps, type EditorLanguage } from "./editor/CellEditor.js";
export { EditorEnvironmentContext, type EditorEnvironment, type MonacoModule } from "./editor/environment.js";
export { CellTypesSync } from "./editor/CellTypesSync.js";
export { createNotebookController, type NotebookController, type ControllerHooks, type After } from "./components/controller.js";
export { NotebookContext, useController, useNotebook, useKernel } from "./components/context.js";
export { promptText, formatWallTime } from "./components/format.js";
export { Cell } from "./components/Cell.js";
export { Notebook } from "./components/Notebook.js";
export { Toolbar, type ToolbarProps } from "./components/Toolbar.js";
export { StatusBar } from "./components/StatusBar.js";
export { Modal, type ModalProps } from "./components/Modal.js";
export { HelpSheet } from "./components/HelpSheet.js";
export { idbStore, memoryStore, defaultStore, type KeyValueStore } from "./persistence/idb.js";
export { Autosave, AUTOSAVE_KEY, localStorageBackup, type SavedNotebook, type AutosaveStatus, type AutosaveState, type AutosaveOptions, type SyncBackup } from "./persistence/autosave.js";
