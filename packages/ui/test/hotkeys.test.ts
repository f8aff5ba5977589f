// The hotkey registry and key matching: Jupyter's keys, one binding per chord and mode, two-press
// sequences that expire, and the help sheet's key names.
import { describe, expect, it } from "vitest";
import { HOTKEYS, SequenceMatcher, chordOf, chordTable, displayKey, type HotkeyAction, type KeyLike } from "../src/index.js";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe("hotkey registry", () => {
  it("has Jupyter's keys", () => {
    const keys = (a: HotkeyAction) => HOTKEYS[a].keys;
    expect(keys("runAndAdvance")).toEqual(["Shift+Enter"]);
    expect(keys("run")).toEqual(["Mod+Enter"]);
    expect(keys("runAndInsert")).toEqual(["Alt+Enter"]);
    expect(keys("insertAbove")).toEqual(["A"]);
    expect(keys("insertBelow")).toEqual(["B"]);
    expect(keys("deleteCell")).toEqual(["D D"]);
    expect(keys("toMarkdown")).toEqual(["M"]);
    expect(keys("toCode")).toEqual(["Y"]);
    expect(keys("interrupt")).toEqual(["I I"]);
    expect(keys("restart")).toEqual(["0 0"]);
    expect(keys("help")).toEqual(["H", "?"]);
    expect(keys("commandMode")).toEqual(["Escape"]);
  });

  it("binds each chord to at most one action per mode", () => {
    for (const mode of ["command", "edit"] as const) {
      const seen = new Map<string, string>();
      for (const [action, spec] of Object.entries(HOTKEYS)) {
        if (!(spec.modes as readonly string[]).includes(mode)) continue;
        for (const k of spec.keys) {
          expect(seen.get(k), `${k} in ${mode} mode`).toBeUndefined();
          seen.set(k, action);
        }
      }
    }
  });

  it("leaves typing keys alone in edit mode", () => {
    const edit = chordTable("edit");
    for (const k of ["A", "B", "D", "M", "Y", "0", "I", "Enter", "H"]) expect(edit.has(k)).toBe(false);
    expect(edit.get("Shift+Enter")).toBe("runAndAdvance");
    expect(edit.get("Escape")).toBe("commandMode");
  });
});

describe("chordOf", () => {
  it("writes modifiers as the registry does", () => {
    expect(chordOf(key("Enter", { shiftKey: true }), false)).toBe("Shift+Enter");
    expect(chordOf(key("Enter", { ctrlKey: true }), false)).toBe("Mod+Enter");
    expect(chordOf(key("Enter", { metaKey: true }), true)).toBe("Mod+Enter");
    expect(chordOf(key("Enter", { ctrlKey: true }), true)).toBe("Ctrl+Enter");
    expect(chordOf(key("Enter", { altKey: true }), false)).toBe("Alt+Enter");
    expect(chordOf(key("a"), false)).toBe("A");
    expect(chordOf(key("A", { shiftKey: true }), false)).toBe("Shift+A");
    expect(chordOf(key("?", { shiftKey: true }), false)).toBe("?");
    expect(chordOf(key("s", { ctrlKey: true }), false)).toBe("Mod+S");
    expect(chordOf(key("ArrowUp", { ctrlKey: true, shiftKey: true }), false)).toBe("Mod+Shift+ArrowUp");
  });

  it("names keys for the help sheet", () => {
    expect(displayKey("Mod+Enter", false)).toBe("Ctrl+Enter");
    expect(displayKey("Mod+Enter", true)).toBe("⌘Enter");
    expect(displayKey("D D", false)).toBe("D, D");
    expect(displayKey("ArrowUp", false)).toBe("Up");
  });
});

describe("SequenceMatcher", () => {
  it("fires two-press sequences only when the presses are close", () => {
    const m = new SequenceMatcher("command", 800);
    expect(m.feed("D", 0)).toBeNull();
    expect(m.feed("D", 300)).toBe("deleteCell");
    expect(m.feed("I", 1000)).toBeNull();
    expect(m.feed("I", 2000)).toBeNull(); // too slow: this press starts a new sequence
    expect(m.feed("I", 2100)).toBe("interrupt");
    expect(m.feed("0", 3000)).toBeNull();
    expect(m.feed("0", 3100)).toBe("restart");
  });

  it("answers single keys at once and knows sequence starters", () => {
    const m = new SequenceMatcher("command");
    expect(m.feed("A", 0)).toBe("insertAbove");
    expect(m.feed("Shift+Enter", 10)).toBe("runAndAdvance");
    expect(m.knows("D")).toBe(true);
    expect(m.knows("Q")).toBe(false);
    // A sequence needs both presses to be the same sequence.
    expect(m.feed("D", 20)).toBeNull();
    expect(m.feed("I", 30)).toBeNull();
  });
});
