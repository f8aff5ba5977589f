// A cell's outputs: stream text, errors (traceback with the cell's own lines marked), and MIME
// bundles shown by their richest representation the notebook knows (DESIGN §6): plots, jaxprs,
// sanitized HTML, PNG images, Kiln arrays, and plain text for everything else.
import { memo, useContext, useEffect, useLayoutEffect, useRef, useState } from "react";
import { MIME, MIME_PREFERENCE, type ErrorOutput, type MimeBundle, type Output } from "../model/types.js";
import { ArrayView, isArraySummary } from "./ArrayView.js";
import { tokenizeJaxpr } from "./jaxpr_highlight.js";
import { OutputRenderersContext } from "./renderers.js";
import { sanitizeToFragment } from "./sanitize_dom.js";

export const JaxprView = memo(function JaxprView({ text }: { text: string }) {
  return (
    <pre className="output-jaxpr" data-mime={MIME.jaxpr}>
      {tokenizeJaxpr(text).map((t, i) => (t.kind === "space" || t.kind === "text" ? t.text : <span key={i} className={`jx-${t.kind}`}>{t.text}</span>))}
    </pre>
  );
});

export function ErrorView({ error }: { error: ErrorOutput }) {
  const lines = error.traceback.length > 0 ? error.traceback : [`${error.ename}: ${error.evalue}`];
  return (
    <pre className="output-error" data-mime="error" role="alert">
      {lines.map((line, i) => {
        const cls = /^-{2,}> /.test(line)
          ? "tb-line tb-current"
          : /^\s*\^+\s*$/.test(line)
            ? "tb-caret"
            : /, line \d+, column \d+/.test(line)
              ? "tb-heading"
              : i === lines.length - 1
                ? "tb-message"
                : undefined;
        return (
          <span key={i} className={cls}>
            {line}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}

function HtmlOutput({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    el.replaceChildren(sanitizeToFragment(html, el.ownerDocument));
  }, [html]);
  return <div ref={ref} className="output-html" data-mime={MIME.html} />;
}

/** The same figure keeps the same object across re-renders (outputs are replaced when a run ends). */
function useStableFigure(figure: unknown): unknown {
  const last = useRef<{ figure: unknown; json: string } | null>(null);
  const prev = last.current;
  const json = prev !== null && prev.figure === figure ? prev.json : JSON.stringify(figure);
  if (last.current === null || last.current.json !== json) last.current = { figure, json };
  return last.current.figure;
}

function PlotOutput({ figure: given, fallback }: { figure: unknown; fallback: string | null }) {
  const { renderPlot } = useContext(OutputRenderersContext);
  const figure = useStableFigure(given);
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null || renderPlot === null) return;
    let disposed = false;
    let handle: { dispose(): void } | null = null;
    setState("loading");
    renderPlot(el, figure).then(
      (h) => {
        if (disposed) h.dispose();
        else {
          handle = h;
          setState("ready");
        }
      },
      (e: unknown) => {
        if (disposed) return;
        setError(e instanceof Error ? e.message : String(e));
        setState("failed");
      },
    );
    return () => {
      disposed = true;
      handle?.dispose();
    };
  }, [figure, renderPlot]);
  if (renderPlot === null) return <pre className="output-text">{fallback ?? "<plot>"}</pre>;
  return (
    <div className="output-plot" data-mime={MIME.plotly} data-state={state}>
      <div ref={ref} className="plot-host" />
      {state === "loading" && <div className="plot-loading">Loading plot…</div>}
      {state === "failed" && <pre className="output-error">Could not draw the plot: {error}</pre>}
    </div>
  );
}

function text(bundle: MimeBundle, mime: string): string | null {
  const v = bundle[mime];
  return typeof v === "string" ? v : Array.isArray(v) ? v.join("") : null;
}

export function BundleView({ bundle }: { bundle: MimeBundle }) {
  const mime = MIME_PREFERENCE.find((m) => bundle[m] !== undefined);
  const plain = text(bundle, MIME.text);
  switch (mime) {
    case MIME.plotly:
      return <PlotOutput figure={bundle[MIME.plotly]} fallback={plain} />;
    case MIME.jaxpr:
      return <JaxprView text={text(bundle, MIME.jaxpr) ?? ""} />;
    case MIME.html:
      return <HtmlOutput html={text(bundle, MIME.html) ?? ""} />;
    case MIME.png:
      return <img className="output-image" data-mime={MIME.png} alt={plain ?? "image output"} src={`data:image/png;base64,${(text(bundle, MIME.png) ?? "").replace(/\s/g, "")}`} />;
    case MIME.array: {
      const summary = bundle[MIME.array];
      if (isArraySummary(summary)) return <ArrayView text={plain} summary={summary} />;
      return <pre className="output-text">{plain}</pre>;
    }
    case MIME.text:
      return (
        <pre className="output-text" data-mime={MIME.text}>
          {plain}
        </pre>
      );
    default:
      return <pre className="output-text output-unsupported">{`<output of type ${Object.keys(bundle).join(", ")}>`}</pre>;
  }
}

export const OutputView = memo(function OutputView({ output }: { output: Output }) {
  switch (output.output_type) {
    case "stream":
      return (
        <pre className={`output-stream output-${output.name}`} data-mime={`stream/${output.name}`}>
          {output.text}
        </pre>
      );
    case "error":
      return <ErrorView error={output} />;
    case "display_data":
    case "execute_result":
      return <BundleView bundle={output.data} />;
    default:
      return output satisfies never;
  }
});

export const OutputArea = memo(function OutputArea({ outputs }: { outputs: readonly Output[] }) {
  if (outputs.length === 0) return null;
  return (
    <div className="outputs" data-testid="outputs">
      {outputs.map((o, i) => (
        <div key={i} className={`output output-${o.output_type}`}>
          <OutputView output={o} />
        </div>
      ))}
    </div>
  );
});
