// Types of the build-time virtual modules of vite.config.ts.
declare module "virtual:kiln/type-libs" {
  /** The engine's .d.ts files and the plot package's sources, at the paths Monaco's TS service sees. */
  const libs: { path: string; content: string }[];
  export default libs;
}

declare module "virtual:kiln/tour" {
  /** examples/tour.ipynb as text, or null when the file was absent at build time. */
  const tour: string | null;
  export default tour;
}

// V8's stack depth setting, which the kernel raises while a cell runs (Chromium has it; the DOM
// lib does not declare it).
interface ErrorConstructor {
  stackTraceLimit?: number;
}
