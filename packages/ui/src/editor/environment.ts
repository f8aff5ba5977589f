// How cell editors get Monaco: the app provides a loader (a dynamic import of its Monaco entry,
// which sets up the workers and the type libraries). Without one — tests, or before it loads —
// cells show their code as plain text, which is also what a cell shows until it scrolls into view.
import { createContext } from "react";
import type * as MonacoSetup from "./monaco_setup.js";

export type MonacoModule = typeof MonacoSetup;

export interface EditorEnvironment {
  loadMonaco: (() => Promise<MonacoModule>) | null;
}

export const EditorEnvironmentContext = createContext<EditorEnvironment>({ loadMonaco: null });

let loading: Promise<MonacoModule> | null = null;
let loaded: MonacoModule | null = null;

/** Load Monaco once per page. */
export function ensureMonaco(load: () => Promise<MonacoModule>): Promise<MonacoModule> {
  loading ??= load().then((m) => (loaded = m));
  return loading;
}

/** Monaco if it has finished loading (lets a remounting editor skip a frame of plain text). */
export function monacoIfLoaded(): MonacoModule | null {
  return loaded;
}
