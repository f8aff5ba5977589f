// Keeps one broken piece of the page from taking the notebook down: a cell (or an output) that
// throws while rendering shows what went wrong in its place, and everything else keeps working.
import { Component, type ReactNode } from "react";

interface Props {
  /** What the fallback says failed, e.g. "This cell". */
  what: string;
  children: ReactNode;
  /** Shown under the message (e.g. the cell's code, so nothing the user wrote disappears). */
  detail?: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error(`${this.props.what} could not be displayed:`, error);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="render-error" role="alert">
        <div>
          {this.props.what} could not be displayed: {this.state.error.message}{" "}
          <button type="button" className="link-button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
        {this.props.detail}
      </div>
    );
  }
}
