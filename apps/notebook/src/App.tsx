// The notebook page: toolbar, cells, status bar, and the page-level flows around them — which
// notebook opens (share link → autosave → starter, asking when a link meets different local
// work), open/download .ipynb, share links, help. The kernel, store and autosave are made once per
// page (notebook_app.ts); this component wires them to React.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useStore } from "zustand";
import {
  CellTypesSync,
  EditorEnvironmentContext,
  HelpSheet,
  Modal,
  Notebook,
  NotebookContext,
  OutputRenderersContext,
  StatusBar,
  Toolbar,
  notebookActions,
  type NotebookSnapshot,
  type SavedNotebook,
} from "@kiln/ui";
import { renderPlot } from "@kiln/plot/dom";
import { Banner, Toasts, useToasts, type BannerState } from "./components/Toasts.js";
import { ShareDialog } from "./components/ShareDialog.js";
import { initialNotebook } from "./files/load.js";
import { fileNameFor, notebookTitle, readIpynb, writeIpynb } from "./files/notebook_files.js";
import { starterNotebook } from "./files/starter.js";
import { notebookApp } from "./notebook_app.js";

const EMPTY: NotebookSnapshot = { cells: [{ id: "", type: "code", source: "" }], metadata: {} };

const editorEnvironment = { loadMonaco: () => import("./editor/monaco.js").then((m) => m.setup) };
const outputRenderers = { renderPlot };

type Dialog =
  | { kind: "help" }
  | { kind: "share"; notebook: NotebookSnapshot }
  | { kind: "conflict"; shared: NotebookSnapshot; saved: SavedNotebook }
  | { kind: "confirm"; title: string; text: string; confirm: string; onConfirm: () => void };

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function clearFragment(): void {
  if (location.hash !== "") history.replaceState(null, "", `${location.pathname}${location.search}`);
}

function AutosaveIndicator() {
  const { autosave } = notebookApp();
  const state = useStore(autosave.status, (s) => s.state);
  const error = useStore(autosave.status, (s) => s.error);
  const text = { idle: "", pending: "Unsaved changes", saving: "Saving…", saved: "Saved in this browser", paused: "Not saved yet", error: "Not saved" }[state];
  if (text === "") return null;
  return (
    <span className={`status-item autosave autosave-${state}`} data-testid="autosave" data-state={state} title={error ?? "Notebooks are saved in this browser (IndexedDB) as you work"}>
      {text}
    </span>
  );
}

export function App() {
  const app = notebookApp();
  const { store, controller, autosave } = app;
  const actions = useMemo(() => notebookActions(store), [store]);
  const [loaded, setLoaded] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const { toasts, show, dismiss } = useToasts();
  const fileInput = useRef<HTMLInputElement>(null);
  const title = useStore(store, (s) => notebookTitle({ cells: s.order.map((id) => s.cells[id]!) }));

  useEffect(() => {
    document.title = `${title} · Kiln`;
  }, [title]);

  const snapshot = useCallback((outputs = true) => actions.snapshot({ outputs }), [actions]);

  const downloadNotebook = useCallback(
    (nb: NotebookSnapshot = snapshot(true)) => {
      const name = fileNameFor(notebookTitle(nb));
      download(name, writeIpynb(nb));
      show(`Downloaded ${name}`);
    },
    [show, snapshot],
  );

  const openShared = useCallback(
    (shared: NotebookSnapshot) => {
      actions.load(shared);
      autosave.resume();
      clearFragment();
      setBanner({
        kind: "info",
        title: "Opened a shared notebook.",
        text: "Nothing has run. Read it first, then run cells with Shift+Enter or Run all.",
      });
    },
    [actions, autosave],
  );

  /** The opening flow, for the first load and for a share link pasted into this page's address bar. */
  const openFromLocation = useCallback(
    async (current: SavedNotebook | null) => {
      const initial = await initialNotebook(location.hash, async () => current ?? (await autosave.load()), starterNotebook);
      switch (initial.kind) {
        case "shared":
          if (initial.saved === null) openShared(initial.notebook);
          else {
            // Show the user's own notebook behind the question; nothing is saved until they answer.
            autosave.pause();
            actions.load(initial.saved.notebook);
            setDialog({ kind: "conflict", shared: initial.notebook, saved: initial.saved });
          }
          break;
        case "broken-link": {
          autosave.pause();
          actions.load(EMPTY);
          clearFragment();
          const saved = initial.saved;
          setBanner({
            kind: "error",
            title: "This share link could not be opened.",
            text: initial.error,
            actions:
              saved !== null ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    actions.load(saved.notebook);
                    autosave.resume();
                    setBanner(null);
                  }}
                >
                  Open my saved notebook
                </button>
              ) : undefined,
          });
          break;
        }
        case "saved":
          actions.load(initial.saved.notebook);
          break;
        case "starter":
          actions.load(initial.notebook);
          break;
        default:
          return initial satisfies never;
      }
    },
    [actions, autosave, openShared],
  );

  useEffect(() => {
    let cancelled = false;
    app.hooks.showHelp = () => setDialog({ kind: "help" });
    app.hooks.saved = () => show("Saved in this browser");
    app.session.start();
    void openFromLocation(null).then(() => {
      if (cancelled) return;
      autosave.start({ paused: autosave.status.getState().state === "paused" });
      setLoaded(true);
    });
    const onHash = () => {
      if (/^#nb=/.test(location.hash)) void autosave.flush().then(() => openFromLocation({ version: 1, savedAt: Date.now(), notebook: snapshot(true) }));
    };
    const onHide = () => {
      if (document.visibilityState !== "hidden") return;
      // The synchronous copy first: the page may be gone before IndexedDB finishes.
      autosave.flushSync();
      void autosave.flush();
    };
    // What the kernel session wants said (a restart, a worker that had to be replaced).
    const unsubscribeNotice = app.session.status.subscribe((st, prev) => {
      if (st.generation !== prev.generation && st.notice !== null) show(st.notice.split(". ")[0]!.replace(/\.?$/, "."));
    });
    window.addEventListener("hashchange", onHash);
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("pagehide", onHide);
    return () => {
      cancelled = true;
      unsubscribeNotice();
      window.removeEventListener("hashchange", onHash);
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", onHide);
    };
  }, [app, autosave, openFromLocation, show, snapshot]);

  const onOpenFile = async (file: File) => {
    try {
      const nb = readIpynb(await file.text());
      actions.load(nb);
      autosave.resume();
      setBanner(null);
      show(`Opened ${file.name}`);
    } catch (e) {
      show(`${file.name} could not be opened: ${e instanceof Error ? e.message : String(e)}`, "error");
    }
  };

  const confirmReplace = (what: string, onConfirm: () => void) => {
    const s = store.getState();
    const hasWork = s.order.some((id) => s.cells[id]!.source.trim() !== "");
    if (!hasWork) return onConfirm();
    setDialog({
      kind: "confirm",
      title: `${what}?`,
      text: "This replaces the notebook open now, which is also the one saved in this browser. Download it first if you want to keep it.",
      confirm: what,
      onConfirm,
    });
  };

  const closeDialog = () => setDialog(null);

  return (
    <NotebookContext.Provider value={controller}>
      <EditorEnvironmentContext.Provider value={editorEnvironment}>
        <OutputRenderersContext.Provider value={outputRenderers}>
          <div className="app" data-testid="app" data-loaded={loaded || undefined}>
            <Toolbar
              title={title}
              onOpen={() => fileInput.current?.click()}
              onDownload={() => downloadNotebook()}
              onShare={() => setDialog({ kind: "share", notebook: snapshot(false) })}
              onNew={() =>
                confirmReplace("New notebook", () => {
                  actions.load(EMPTY);
                  autosave.resume();
                })
              }
              onHelp={() => setDialog({ kind: "help" })}
            />
            <input
              ref={fileInput}
              type="file"
              accept=".ipynb,application/x-ipynb+json,application/json"
              hidden
              data-testid="open-file"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = "";
                if (file) confirmReplace("Open file", () => void onOpenFile(file));
              }}
            />
            {banner && <Banner banner={banner} onClose={() => setBanner(null)} />}
            <main className="notebook-scroll">{loaded ? <Notebook /> : <p className="loading">Opening the notebook…</p>}</main>
            <StatusBar>
              <AutosaveIndicator />
            </StatusBar>
            <Toasts toasts={toasts} dismiss={dismiss} />
            <CellTypesSync />
            {dialog?.kind === "help" && <HelpSheet onClose={closeDialog} />}
            {dialog?.kind === "share" && <ShareDialog notebook={dialog.notebook} onClose={closeDialog} onDownload={() => downloadNotebook()} />}
            {dialog?.kind === "conflict" && (
              <Modal
                title="Open the shared notebook?"
                testId="conflict-dialog"
                actions={
                  <>
                    <button type="button" className="button" onClick={() => downloadNotebook(dialog.saved.notebook)}>
                      Download mine
                    </button>
                    <button
                      type="button"
                      className="button"
                      data-testid="keep-mine"
                      onClick={() => {
                        clearFragment();
                        autosave.resume();
                        closeDialog();
                      }}
                    >
                      Keep mine
                    </button>
                    <button
                      type="button"
                      className="button primary"
                      data-testid="open-shared"
                      data-autofocus
                      onClick={() => {
                        openShared(dialog.shared);
                        closeDialog();
                      }}
                    >
                      Open shared
                    </button>
                  </>
                }
              >
                <p>
                  The link holds a notebook “{notebookTitle(dialog.shared)}” ({dialog.shared.cells.length} cells). This browser has a different notebook saved, “
                  {notebookTitle(dialog.saved.notebook)}” ({dialog.saved.notebook.cells.length} cells, saved {new Date(dialog.saved.savedAt).toLocaleString()}).
                </p>
                <p>Opening the shared one replaces yours here; download yours first to keep a copy. Nothing in the shared notebook runs until you run it.</p>
              </Modal>
            )}
            {dialog?.kind === "confirm" && (
              <Modal
                title={dialog.title}
                onClose={closeDialog}
                testId="confirm-dialog"
                actions={
                  <>
                    <button type="button" className="button" onClick={() => downloadNotebook()}>
                      Download current
                    </button>
                    <button type="button" className="button" onClick={closeDialog}>
                      Cancel
                    </button>
                    <button
                      type="button"
                      className="button primary"
                      data-autofocus
                      data-testid="confirm"
                      onClick={() => {
                        const go = dialog.onConfirm;
                        closeDialog();
                        go();
                      }}
                    >
                      {dialog.confirm}
                    </button>
                  </>
                }
              >
                <p>{dialog.text}</p>
              </Modal>
            )}
          </div>
        </OutputRenderersContext.Provider>
      </EditorEnvironmentContext.Provider>
    </NotebookContext.Provider>
  );
}
