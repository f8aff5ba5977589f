// Key chords: a keyboard event as the registry writes keys ("Shift+Enter", "Mod+S", "A", "?"),
// and a matcher for command mode that understands two-press sequences ("D D", "I I", "0 0") the
// way Jupyter does: the second press must come soon after the first.
import { HOTKEYS, type HotkeyAction, type HotkeyMode } from "./registry.js";

/** The subset of KeyboardEvent the chord needs (so tests can pass plain objects). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function isMacPlatform(): boolean {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const platform = nav?.userAgentData?.platform ?? nav?.platform ?? "";
  return /mac|iphone|ipad/i.test(platform);
}

/**
 * The chord of a key event: modifiers in the order Mod, Alt, Shift, then the key. Letters are
 * upper case; other printable characters stand for themselves with Shift folded in ("?", not
 * "Shift+/"). "Mod" is ⌘ on a Mac and Ctrl elsewhere; the other of the two is written "Ctrl"/"Meta".
 */
export function chordOf(e: KeyLike, mac = isMacPlatform()): string {
  const parts: string[] = [];
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (mod) parts.push("Mod");
  if (other) parts.push(mac ? "Ctrl" : "Meta");
  if (e.altKey) parts.push("Alt");
  let key = e.key;
  if (key === " ") key = "Space";
  const printable = key.length === 1;
  const letter = printable && /[a-z]/i.test(key);
  if (e.shiftKey && (!printable || letter || mod || e.altKey)) parts.push("Shift");
  parts.push(letter ? key.toUpperCase() : key);
  return parts.join("+");
}

/** The text a help sheet shows for a registry key ("Mod+Enter" → "Ctrl+Enter" or "⌘Enter"). */
export function displayKey(keys: string, mac = isMacPlatform()): string {
  return keys
    .split(" ")
    .map((chord) =>
      chord
        .split("+")
        .map((p) => (p === "Mod" ? (mac ? "⌘" : "Ctrl") : p === "Alt" && mac ? "⌥" : p === "Shift" && mac ? "⇧" : p.replace(/^Arrow/, "")))
        .join(mac ? "" : "+"),
    )
    .join(", ");
}

/** Every single-chord binding for a mode: chord → action. */
export function chordTable(mode: HotkeyMode): Map<string, HotkeyAction> {
  const table = new Map<string, HotkeyAction>();
  for (const [action, spec] of Object.entries(HOTKEYS) as [HotkeyAction, (typeof HOTKEYS)[HotkeyAction]][]) {
    if (!(spec.modes as readonly HotkeyMode[]).includes(mode)) continue;
    for (const k of spec.keys) if (!k.includes(" ")) table.set(k, action);
  }
  return table;
}

/**
 * Command mode's matcher: feed it chords, it answers the action to run (or null). A sequence fires
 * when its last press follows the previous one within `timeoutMs`; a press that only starts a
 * sequence answers null and is remembered.
 */
export class SequenceMatcher {
  private last: { chord: string; at: number } | null = null;
  private readonly singles: Map<string, HotkeyAction>;
  private readonly sequences: { chords: string[]; action: HotkeyAction }[] = [];

  constructor(
    mode: HotkeyMode,
    private readonly timeoutMs = 800,
  ) {
    this.singles = chordTable(mode);
    for (const [action, spec] of Object.entries(HOTKEYS) as [HotkeyAction, (typeof HOTKEYS)[HotkeyAction]][]) {
      if (!(spec.modes as readonly HotkeyMode[]).includes(mode)) continue;
      for (const k of spec.keys) if (k.includes(" ")) this.sequences.push({ chords: k.split(" "), action });
    }
  }

  feed(chord: string, at: number): HotkeyAction | null {
    const prev = this.last;
    if (prev !== null && at - prev.at <= this.timeoutMs) {
      const seq = this.sequences.find((s) => s.chords.length === 2 && s.chords[0] === prev.chord && s.chords[1] === chord);
      if (seq) {
        this.last = null;
        return seq.action;
      }
    }
    this.last = { chord, at };
    return this.singles.get(chord) ?? null;
  }

  /** Whether a chord matters in this mode (so the handler can swallow it). */
  knows(chord: string): boolean {
    return this.singles.has(chord) || this.sequences.some((s) => s.chords.includes(chord));
  }

  reset(): void {
    this.last = null;
  }
}
