// A cell's editor: plain text until the cell comes near the viewport or the user starts editing
// it, then Monaco (loaded once, lazily); far from the viewport again, the editor goes and the
// text view returns (the cell's Monaco model, and its undo history, stay). Edit-mode hotkeys from the registry are caught before
// Monaco's own bindings (Escape only when no suggestion list or hint is open). The line of the
// last error is highlighted in both forms. Source flows both ways: typing updates the store, and
// a change in the store (a file opened, a cell converted) updates the editor.
import { memo, useContext, useEffect, useLayoutEffect, useRef, useState } from "react";
import { chordOf } from "../hotkeys/keys.js";
import { EditorEnvironmentContext, ensureMonaco, monacoIfLoaded, type MonacoModule } from "./environment.js";
import { observeVisibility } from "./visibility.js";
import type * as MonacoApi from "monaco-editor/editor/editor.api";

export type EditorLanguage = "typescript" | "markdown" | "plaintext";

export interface CellEditorProps {
  cellId: string;
  source: string;
  language: EditorLanguage;
  /** This cell is in edit mode: the editor should have the keyboard. */
  editing: boolean;
  /** 1-based line to highlight (the last error), or null. */
  errorLine: number | null;
  onChange(source: string): void;
  /** The user put the caret in this editor. */
  onFocus(): void;
  /** The editor lost the keyboard (to something other than itself). */
  onBlur(): void;
  /** An edit-mode chord; return true if it was a hotkey (then the editor ignores the key). */
  onHotkey(chord: string): boolean;
}

const LINE_HEIGHT = 19;
const PADDING = 6;

/** Open popups inside an editor that Escape should close before it leaves the editor. */
const POPUPS = ".suggest-widget.visible, .parameter-hints-widget.visible, .find-widget.visible, .monaco-hover:not(.hidden)";

function StaticCode({ source, errorLine, onPointerDown }: { source: string; errorLine: number | null; onPointerDown: () => void }) {
  const lines = source.split("\n");
  return (
    <pre className="code-static" onPointerDown={onPointerDown} style={{ lineHeight: `${LINE_HEIGHT}px`, padding: `${PADDING}px 0`, minHeight: LINE_HEIGHT + 2 * PADDING }}>
      {lines.map((line, i) => (
        <div key={i} className={errorLine === i + 1 ? "code-line error-line" : "code-line"}>
          {line === "" ? "\u200b" : line}
        </div>
      ))}
    </pre>
  );
}

/** Monaco's options for a notebook cell: no chrome, height fitted to the content, page scrolling. */
function editorOptions(model: MonacoApi.editor.ITextModel, language: EditorLanguage, theme: string): MonacoApi.editor.IStandaloneEditorConstructionOptions {
  return {
    model,
    theme,
    automaticLayout: true,
    minimap: { enabled: false },
    lineNumbers: "off",
    glyphMargin: false,
    folding: false,
    lineDecorationsWidth: 8,
    lineNumbersMinChars: 0,
    scrollBeyondLastLine: false,
    scrollbar: { vertical: "hidden", horizontal: "auto", horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false, useShadows: false },
    overviewRulerLanes: 0,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    renderLineHighlight: "none",
    fontSize: 13,
    lineHeight: LINE_HEIGHT,
    padding: { top: PADDING, bottom: PADDING },
    fixedOverflowWidgets: true,
    wordWrap: language === "markdown" ? "on" : "off",
    tabSize: 2,
    contextmenu: false,
    quickSuggestions: language === "typescript",
    // Notebooks are full of ×, ², µ and friends on purpose.
    unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
    ariaLabel: "Cell editor",
  };
}

export const CellEditor = memo(function CellEditor(props: CellEditorProps) {
  const { loadMonaco } = useContext(EditorEnvironmentContext);
  const hostRef = useRef<HTMLDivElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  const [monaco, setMonaco] = useState<MonacoModule | null>(() => monacoIfLoaded());
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);
  const [mounted, setMounted] = useState(false);
  // The latest props, for Monaco's callbacks (which are registered once per editor).
  const latest = useRef(props);
  latest.current = props;

  const wantEditor = loadMonaco !== null && (near || props.editing);

  useEffect(() => {
    const el = wrapperRef.current;
    if (el === null) return;
    return observeVisibility(el, setNear);
  }, []);

  useEffect(() => {
    if (!wantEditor || monaco !== null || loadMonaco === null) return;
    let cancelled = false;
    ensureMonaco(loadMonaco).then(
      (m) => !cancelled && setMonaco(m),
      (e: unknown) => console.error("Monaco failed to load; cells stay plain text.", e),
    );
    return () => {
      cancelled = true;
    };
  }, [wantEditor, monaco, loadMonaco]);

  // Create the editor when it is wanted and Monaco is here; dispose it when the cell goes far away.
  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!wantEditor || monaco === null || host === null) return;
    const m = monaco.monaco;
    const { cellId, language } = latest.current;
    const uri = m.Uri.parse(language === "typescript" ? `file:///kiln/cell-${cellId}.ts` : `file:///kiln/cell-${cellId}.${language === "markdown" ? "md" : "txt"}`);
    // The model outlives the editor (kept per cell, with its undo history, while the cell exists:
    // CellTypesSync disposes the models of deleted cells).
    let model = m.editor.getModel(uri);
    if (model === null) model = m.editor.createModel(latest.current.source, language, uri);
    else if (model.getValue() !== latest.current.source) model.setValue(latest.current.source);
    const dark = globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
    let editor: MonacoApi.editor.IStandaloneCodeEditor;
    try {
      editor = m.editor.create(host, editorOptions(model, language, monaco.themeFor(dark)));
    } catch (e) {
      // The plain view stays: the cell remains readable and runnable.
      console.error("The cell editor could not start:", e);
      return;
    }
    editorRef.current = editor;
    const fit = () => {
      host.style.height = `${Math.max(editor.getContentHeight(), LINE_HEIGHT + 2 * PADDING)}px`;
    };
    fit();
    const subs = [
      editor.onDidContentSizeChange(fit),
      model.onDidChangeContent(() => {
        const value = model.getValue();
        if (value !== latest.current.source) latest.current.onChange(value);
      }),
      editor.onDidFocusEditorText(() => latest.current.onFocus()),
      editor.onDidBlurEditorWidget(() => {
        // Leaving for one of the editor's own popups is not leaving the editor.
        setTimeout(() => {
          if (!editor.hasWidgetFocus()) latest.current.onBlur();
        }, 0);
      }),
      editor.onKeyDown((e) => {
        const chord = chordOf(e.browserEvent);
        if (chord === "Escape" && host.querySelector(POPUPS) !== null) return;
        if (latest.current.onHotkey(chord)) {
          e.preventDefault();
          e.stopPropagation();
        }
      }),
    ];
    setMounted(true);
    if (latest.current.editing) editor.focus();
    return () => {
      for (const s of subs) s.dispose();
      editorRef.current = null;
      editor.dispose();
      host.style.height = "";
      setMounted(false);
    };
  }, [wantEditor, monaco]);

  // The host was hidden while the editor was made: lay it out now, in the same frame the text view
  // goes, so no empty editor flashes between the two.
  useLayoutEffect(() => {
    if (mounted) editorRef.current?.layout();
  }, [mounted]);

  // Store → editor: a source that changed elsewhere replaces the text (as one undoable edit).
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || model.getValue() === props.source) return;
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: props.source }], () => null);
  }, [props.source, mounted]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || monaco === null) return;
    if (model.getLanguageId() !== props.language) monaco.monaco.editor.setModelLanguage(model, props.language);
  }, [props.language, mounted, monaco]);

  // Focus follows edit mode.
  useEffect(() => {
    const editor = editorRef.current;
    if (editor && props.editing && !editor.hasTextFocus()) editor.focus();
    if (editor && !props.editing && editor.hasTextFocus()) (editor.getContainerDomNode().ownerDocument.activeElement as HTMLElement | null)?.blur();
  }, [props.editing, mounted]);

  // The error line, as a whole-line decoration.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || monaco === null) return;
    const line = props.errorLine;
    const model = editor.getModel();
    if (line === null || !model || line > model.getLineCount()) return;
    const decorations = editor.createDecorationsCollection([
      { range: new monaco.monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: "error-line", marginClassName: "error-line-margin" } },
    ]);
    return () => decorations.clear();
  }, [props.errorLine, mounted, monaco]);

  const showStatic = !mounted;
  return (
    <div ref={wrapperRef} className="cell-editor" data-editor={mounted ? "monaco" : "static"}>
      {/* Hidden by class, not inline style: Monaco's fitted height is an inline style React must not reset. */}
      <div ref={hostRef} className={showStatic ? "monaco-host monaco-host-hidden" : "monaco-host"} />
      {showStatic && <StaticCode source={props.source} errorLine={props.errorLine} onPointerDown={() => latest.current.onFocus()} />}
    </div>
  );
});
