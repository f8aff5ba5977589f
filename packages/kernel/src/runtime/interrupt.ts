// The cooperative interrupt flag (DESIGN.md §6). With cross-origin isolation it lives in a
// SharedArrayBuffer that the page and the worker share, so the page can stop a busy cell without
// waiting for the worker's event loop; otherwise it is a plain field the worker sets when the
// interrupt message arrives (honoured at the cell's next await).

export class InterruptFlag {
  private readonly view: Int32Array | null;
  private plain = 0;

  private constructor(readonly buffer: SharedArrayBuffer | null) {
    this.view = buffer ? new Int32Array(buffer) : null;
  }

  /** A new flag: shared memory when this context may use it, else a plain field. */
  static create(): InterruptFlag {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    const canShare = typeof SharedArrayBuffer === "function" && isolated !== false;
    return new InterruptFlag(canShare ? new SharedArrayBuffer(4) : null);
  }

  /** The worker's side of a flag whose buffer the page sent over. */
  static fromBuffer(buffer: SharedArrayBuffer): InterruptFlag {
    return new InterruptFlag(buffer);
  }

  get shared(): boolean {
    return this.view !== null;
  }

  set(): void {
    if (this.view) Atomics.store(this.view, 0, 1);
    else this.plain = 1;
  }

  clear(): void {
    if (this.view) Atomics.store(this.view, 0, 0);
    else this.plain = 0;
  }

  get isSet(): boolean {
    return this.view ? Atomics.load(this.view, 0) !== 0 : this.plain !== 0;
  }
}
