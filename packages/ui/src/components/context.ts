// React access to the notebook: the controller (store, actions, kernel session, commands) through
// context, and selector hooks over the notebook and kernel stores so that a cell re-renders only
// when its own slice changes.
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { NotebookState } from "../model/notebook_store.js";
import type { KernelStatus } from "../kernel/session.js";
import type { NotebookController } from "./controller.js";

export const NotebookContext = createContext<NotebookController | null>(null);

export function useController(): NotebookController {
  const c = useContext(NotebookContext);
  if (c === null) throw new Error("useController: no <NotebookContext.Provider> above this component");
  return c;
}

export function useNotebook<T>(selector: (s: NotebookState) => T): T {
  return useStore(useController().store, selector);
}

export function useKernel<T>(selector: (s: KernelStatus) => T): T {
  return useStore(useController().session.status, selector);
}
