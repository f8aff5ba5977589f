// A modal dialog: focus moves into it, Escape and the backdrop close it (when it may be closed),
// and Tab stays inside. Used for the help sheet and for questions (a shared link meets local work).
import { useEffect, useRef, type ReactNode } from "react";

export interface ModalProps {
  title: string;
  onClose?: () => void;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
  wide?: boolean;
}

export function Modal({ title, onClose, children, actions, testId, wide }: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const previous = document.activeElement as HTMLElement | null;
    (dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && onClose) {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (e.key === "Tab") {
        const items = [...dialog.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])")];
        if (items.length === 0) return;
        const first = items[0]!;
        const last = items[items.length - 1]!;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    dialog.addEventListener("keydown", onKey);
    return () => {
      dialog.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <div ref={ref} className={wide ? "modal modal-wide" : "modal"} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} data-testid={testId}>
        <h2 className="modal-title">{title}</h2>
        <div className="modal-body">{children}</div>
        {actions && <div className="modal-actions">{actions}</div>}
      </div>
    </div>
  );
}
