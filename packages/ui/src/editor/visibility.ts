// One IntersectionObserver for every cell editor (a 200-cell notebook gets one observer, not 200):
// components subscribe an element and hear whether it is near the viewport.
type Listener = (visible: boolean) => void;

const listeners = new Map<Element, Listener>();
let observer: IntersectionObserver | null = null;

/** Margin around the viewport inside which editors mount (scrolling stays smooth). */
const ROOT_MARGIN = "600px 0px";

function shared(): IntersectionObserver | null {
  if (observer === null && typeof IntersectionObserver === "function") {
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
      },
      { rootMargin: ROOT_MARGIN },
    );
  }
  return observer;
}

/** Watch `el`; without IntersectionObserver (old browsers, some test DOMs) it counts as visible. */
export function observeVisibility(el: Element, listener: Listener): () => void {
  const o = shared();
  if (o === null) {
    listener(true);
    return () => undefined;
  }
  listeners.set(el, listener);
  o.observe(el);
  return () => {
    listeners.delete(el);
    o.unobserve(el);
  };
}
