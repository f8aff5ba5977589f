// The page's long-lived objects, made once per page outside React (so StrictMode's double effects
// cannot start two kernels): the notebook store, the kernel session over the worker, the
// commands (controller) and autosave. React components reach them through context.
import {
  Autosave,
  KernelSession,
  createNotebookController,
  createNotebookStore,
  defaultStore,
  localStorageBackup,
  type NotebookController,
  type NotebookStore,
} from "@kiln/ui";
import { workerKernel } from "./kernel/worker_connection.js";

export interface NotebookApp {
  store: NotebookStore;
  session: KernelSession;
  controller: NotebookController;
  autosave: Autosave;
  /** What the app (React) plugs in later: help and save feedback. */
  hooks: { showHelp: () => void; saved: () => void };
}

function backendFromQuery(): "cpu" | "webgpu" | undefined {
  const b = new URLSearchParams(globalThis.location?.search ?? "").get("backend");
  return b === "cpu" || b === "webgpu" ? b : undefined;
}

export function createNotebookApp(): NotebookApp {
  const store = createNotebookStore();
  const backend = backendFromQuery();
  const session = new KernelSession(store, workerKernel(backend ? { backend } : {}));
  const backup = localStorageBackup();
  const autosave = new Autosave(store, defaultStore(), backup ? { backup } : {});
  const hooks = { showHelp: () => undefined, saved: () => undefined } as NotebookApp["hooks"];
  const controller = createNotebookController(store, session, {
    save: () => void autosave.flush().then(() => hooks.saved()),
    showHelp: () => hooks.showHelp(),
  });
  return { store, session, controller, autosave, hooks };
}

let app: NotebookApp | null = null;

/** The page's app (made on first use). */
export function notebookApp(): NotebookApp {
  app ??= createNotebookApp();
  return app;
}
