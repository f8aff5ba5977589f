// @kiln/kernel — the notebook runtime: everything a notebook needs that is not pixels. It runs in
// the engine's Web Worker and in Node (`kiln run`); Node-only code lives in src/node/ and is not
// exported here.
export { Kernel } from "./runtime/kernel.js";
export type { KernelOptions, ExecuteOptions, ExecuteResult } from "./runtime/kernel.js";
export { InterruptFlag } from "./runtime/interrupt.js";
export { KeyboardInterrupt, ImportError, CellSourceError, errorOutput } from "./runtime/errors.js";
export { timeit, TimeitResult, formatTime, formatG } from "./runtime/timeit.js";
export type { TimeitOptions } from "./runtime/timeit.js";
export { compileCell } from "./cell/compile.js";
export type { CompiledCell, ModuleTable } from "./cell/compile.js";
export { MimeFormatter, HTML, MIME_BUNDLE, isMimeBundle, preview } from "./output/mime.js";
export type { ArraySummary, EngineClasses } from "./output/mime.js";
export { inspect, formatLog } from "./output/inspect.js";
export { sanitizeHtml } from "./output/sanitize_html.js";
export { MIME, outputText } from "./output/types.js";
export type { Output, StreamOutput, DisplayDataOutput, ExecuteResultOutput, ErrorOutput, MimeBundle } from "./output/types.js";
export {
  parseNotebook,
  serializeNotebook,
  toIpynb,
  validateNotebook,
  notebookFromSources,
  emptyNotebook,
  newCellId,
  NotebookFormatError,
  KERNELSPEC,
  LANGUAGE_INFO,
} from "./files/ipynb.js";
export type { Notebook, NotebookCell, CellType } from "./files/ipynb.js";
export { encodeShareLink, decodeShareLink, ShareLinkError, SHARE_PREFIX, SHARE_WARN_CHARS, SHARE_MAX_CHARS } from "./files/share.js";
export type { SharedCell, EncodedLink, ShareErrorKind } from "./files/share.js";
