// The share dialog: the notebook's code as a `#nb=1.…` link (the kernel's codec), copied to the
// clipboard when it opens, with the kernel's warning for long links; a notebook too big for a link
// gets the .ipynb download instead.
import { useEffect, useMemo, useRef, useState } from "react";
import { Modal, type NotebookSnapshot } from "@kiln/ui";
import { shareFragment } from "../files/notebook_files.js";

export function ShareDialog({ notebook, onClose, onDownload }: { notebook: NotebookSnapshot; onClose: () => void; onDownload: () => void }) {
  const result = useMemo(() => {
    try {
      const { fragment, warning } = shareFragment(notebook);
      const url = `${location.origin}${location.pathname}${location.search}${fragment}`;
      return { url, warning: warning ?? null, error: null };
    } catch (e) {
      return { url: null, warning: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [notebook]);
  const [copied, setCopied] = useState<"yes" | "no" | "pending">("pending");
  const inputRef = useRef<HTMLInputElement>(null);

  const copy = async () => {
    if (result.url === null) return;
    try {
      await navigator.clipboard.writeText(result.url);
      setCopied("yes");
    } catch {
      inputRef.current?.select();
      setCopied(document.execCommand?.("copy") ? "yes" : "no");
    }
  };
  useEffect(() => {
    void copy();
    // Copy once, when the dialog opens.
  }, []);

  return (
    <Modal
      title="Share this notebook"
      onClose={onClose}
      testId="share-dialog"
      actions={
        <>
          {result.url !== null && (
            <button type="button" className="button" onClick={() => void copy()}>
              Copy link
            </button>
          )}
          {result.error !== null && (
            <button type="button" className="button" onClick={onDownload}>
              Download .ipynb
            </button>
          )}
          <button type="button" className="button primary" onClick={onClose} data-autofocus>
            Done
          </button>
        </>
      }
    >
      {result.url !== null ? (
        <>
          <p>
            The link holds the notebook's code (no outputs), compressed into the part after <code>#</code>, which never leaves the browser of whoever opens it. Nothing runs
            until they run it.
          </p>
          <input ref={inputRef} className="share-url" readOnly value={result.url} onFocus={(e) => e.currentTarget.select()} data-testid="share-url" aria-label="Share link" />
          <p className="share-meta">
            {copied === "yes" ? "Copied to the clipboard. " : copied === "no" ? "Copy the link above. " : ""}
            {(result.url.length / 1024).toFixed(1)} KB
          </p>
          {result.warning && <p className="share-warning">{result.warning}</p>}
        </>
      ) : (
        <p className="share-error" role="alert">
          {result.error}
        </p>
      )}
    </Modal>
  );
}
