// Short-lived messages at the bottom of the page (link copied, file saved, a file that would not
// open), and the banner that stays until dismissed (a broken share link, a shared notebook that
// has not run).
import { useCallback, useRef, useState, type ReactNode } from "react";

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "error";
}

export function useToasts(): { toasts: Toast[]; show: (text: string, kind?: Toast["kind"]) => void; dismiss: (id: number) => void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (text: string, kind: Toast["kind"] = "info") => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-3), { id, text, kind }]);
      setTimeout(() => dismiss(id), kind === "error" ? 9000 : 4000);
    },
    [dismiss],
  );
  return { toasts, show, dismiss };
}

export function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"} data-testid="toast">
          <span>{t.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

export interface BannerState {
  kind: "error" | "info";
  title: string;
  text: string;
  actions?: ReactNode;
}

export function Banner({ banner, onClose }: { banner: BannerState; onClose: () => void }) {
  return (
    <div className={`banner banner-${banner.kind}`} role={banner.kind === "error" ? "alert" : "status"} data-testid={banner.kind === "error" ? "error-banner" : "info-banner"}>
      <div className="banner-text">
        <strong>{banner.title}</strong> <span>{banner.text}</span>
      </div>
      <div className="banner-actions">
        {banner.actions}
        <button type="button" className="button" onClick={onClose}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
