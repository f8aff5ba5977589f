// Autosave: the notebook (code and outputs) goes to IndexedDB a moment after each change, and at
// once when the page is hidden, so a reload or a crashed worker loses nothing. It lives on the
// page, never in the worker. It can be paused: a page opened from a corrupt link must not
// overwrite the user's saved work with an empty notebook until the user changes something.
import { createStore, type StoreApi } from "zustand/vanilla";
import { notebookActions, type NotebookStore } from "../model/notebook_store.js";
import type { NotebookSnapshot } from "../model/types.js";
import type { KeyValueStore } from "./idb.js";

export interface SavedNotebook {
  version: 1;
  savedAt: number;
  notebook: NotebookSnapshot;
  /** True when outputs were too big to keep and were left out. */
  outputsDropped?: boolean;
}

export type AutosaveState = "idle" | "pending" | "saving" | "saved" | "paused" | "error";

export interface AutosaveStatus {
  state: AutosaveState;
  savedAt: number | null;
  error: string | null;
}

/** A small synchronous store (localStorage) for the last moment of a page, when IndexedDB is too slow. */
export interface SyncBackup {
  read(): string | null;
  write(text: string): void;
}

export interface AutosaveOptions {
  key?: string;
  debounceMs?: number;
  /** Outputs are left out above this many characters of JSON. */
  maxOutputChars?: number;
  /** Where `flushSync` writes the code when the page goes away (see flushSync). */
  backup?: SyncBackup;
}

/** localStorage as a SyncBackup (null where the browser refuses it). */
export function localStorageBackup(key = "kiln:autosave-backup"): SyncBackup | null {
  try {
    const ls = globalThis.localStorage;
    if (ls === undefined) return null;
    return {
      read: () => ls.getItem(key),
      write: (text) => {
        try {
          ls.setItem(key, text);
        } catch {
          // Full or refused: the IndexedDB copy is still there.
        }
      },
    };
  } catch {
    return null;
  }
}

export const AUTOSAVE_KEY = "autosave";

export class Autosave {
  readonly status: StoreApi<AutosaveStatus>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private paused = false;
  private unsubscribe: (() => void) | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly key: string;
  private readonly debounceMs: number;
  private readonly maxOutputChars: number;
  private readonly backup: SyncBackup | null;

  constructor(
    private readonly notebook: NotebookStore,
    private readonly kv: KeyValueStore,
    options: AutosaveOptions = {},
  ) {
    this.key = options.key ?? AUTOSAVE_KEY;
    this.debounceMs = options.debounceMs ?? 600;
    this.maxOutputChars = options.maxOutputChars ?? 4_000_000;
    this.backup = options.backup ?? null;
    this.status = createStore<AutosaveStatus>(() => ({ state: "idle", savedAt: null, error: null }));
  }

  /**
   * The saved notebook, or null (nothing saved, or unreadable). When the page's last-moment backup
   * is newer than the IndexedDB copy, its code wins, with the outputs of the cells that match.
   */
  async load(): Promise<SavedNotebook | null> {
    let saved: SavedNotebook | null = null;
    try {
      saved = valid(await this.kv.get<SavedNotebook>(this.key));
    } catch {
      saved = null;
    }
    let backup: SavedNotebook | null = null;
    try {
      const text = this.backup?.read();
      backup = text ? valid(JSON.parse(text)) : null;
    } catch {
      backup = null;
    }
    if (backup === null || (saved !== null && saved.savedAt >= backup.savedAt)) return saved;
    const outputs = new Map((saved?.notebook.cells ?? []).map((c) => [`${c.id}\u0000${c.source}`, c]));
    const cells = backup.notebook.cells.map((c) => {
      const old = outputs.get(`${c.id}\u0000${c.source}`);
      return old?.outputs ? { ...c, outputs: old.outputs, executionCount: old.executionCount ?? null } : c;
    });
    return { version: 1, savedAt: backup.savedAt, notebook: { ...backup.notebook, cells } };
  }

  /**
   * Save the code now, synchronously, to the backup (the page is going away: an IndexedDB write
   * started now may not finish). Outputs stay in the last IndexedDB copy.
   */
  flushSync(): void {
    if (this.paused || this.backup === null) return;
    if (this.status.getState().state === "saved" || this.status.getState().state === "idle") return;
    const saved: SavedNotebook = { version: 1, savedAt: Date.now(), notebook: notebookActions(this.notebook).snapshot({ outputs: false }) };
    this.backup.write(JSON.stringify(saved));
  }

  /** Watch the notebook: code changes and finished runs are saved after the debounce. */
  start(options: { paused?: boolean } = {}): void {
    this.paused = options.paused ?? false;
    this.status.setState({ state: this.paused ? "paused" : "idle" });
    this.unsubscribe?.();
    let { revision, runs, generation } = this.notebook.getState();
    this.unsubscribe = this.notebook.subscribe((s) => {
      const edited = s.revision !== revision;
      const ran = s.runs !== runs;
      const loaded = s.generation !== generation;
      revision = s.revision;
      runs = s.runs;
      generation = s.generation;
      // The user's own change makes the open notebook their work; a programmatic load does not.
      if (edited && !loaded && this.paused) {
        this.paused = false;
        this.status.setState({ state: "idle" });
      }
      if (!edited && !ran) return;
      // Outputs streaming into a running cell wait for the run to end.
      if (!edited && Object.values(s.runs).some((r) => r.status === "running")) return;
      this.schedule();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  pause(): void {
    this.paused = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.status.setState({ state: "paused" });
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Save now (Mod+S, page hidden); resolves when it is written. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.paused) return this.saving;
    this.saving = this.saving.then(() => this.write());
    return this.saving;
  }

  /** Forget the saved notebook. */
  async clear(): Promise<void> {
    await this.kv.delete(this.key);
  }

  private schedule(): void {
    if (this.paused) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.status.setState({ state: "pending" });
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  private async write(): Promise<void> {
    this.status.setState({ state: "saving" });
    const actions = notebookActions(this.notebook);
    let notebook = actions.snapshot({ outputs: true });
    let outputsDropped = false;
    if (JSON.stringify(notebook.cells).length > this.maxOutputChars) {
      notebook = actions.snapshot({ outputs: false });
      outputsDropped = true;
    }
    const saved: SavedNotebook = { version: 1, savedAt: Date.now(), notebook, ...(outputsDropped ? { outputsDropped } : {}) };
    try {
      await this.kv.set(this.key, saved);
      this.status.setState({ state: "saved", savedAt: saved.savedAt, error: null });
    } catch (e) {
      this.status.setState({ state: "error", error: e instanceof Error ? e.message : String(e) });
    }
  }
}

function valid(saved: unknown): SavedNotebook | null {
  const s = saved as Partial<SavedNotebook> | null | undefined;
  return s && s.version === 1 && typeof s.savedAt === "number" && Array.isArray(s.notebook?.cells) ? (s as SavedNotebook) : null;
}
