// The one hotkey registry (DESIGN §6, Jupyter's keys): every shortcut of the notebook is declared
// here once, with the modes it works in and the words the help sheet shows. The keyboard handler
// (command mode), the editor bindings (edit mode) and the help sheet all read this table, and the
// notebook must supply a handler for every action: a missing one is a compile error.

export type HotkeyMode = "command" | "edit";

export type HotkeyGroup = "Run" | "Cells" | "Kernel" | "Notebook";

export interface HotkeySpec {
  /** Alternatives; a space separates the presses of a sequence ("D D"). "Mod" is Ctrl, or ⌘ on a Mac. */
  readonly keys: readonly string[];
  readonly modes: readonly HotkeyMode[];
  readonly group: HotkeyGroup;
  readonly title: string;
}

const both: readonly HotkeyMode[] = ["command", "edit"];
const command: readonly HotkeyMode[] = ["command"];
const edit: readonly HotkeyMode[] = ["edit"];

export const HOTKEYS = {
  runAndAdvance: { keys: ["Shift+Enter"], modes: both, group: "Run", title: "Run the cell and select the next one" },
  run: { keys: ["Mod+Enter"], modes: both, group: "Run", title: "Run the cell" },
  runAndInsert: { keys: ["Alt+Enter"], modes: both, group: "Run", title: "Run the cell and insert a cell below" },
  runAll: { keys: ["Mod+Shift+Enter"], modes: both, group: "Run", title: "Run all cells" },
  interrupt: { keys: ["I I"], modes: command, group: "Kernel", title: "Interrupt the kernel" },
  restart: { keys: ["0 0"], modes: command, group: "Kernel", title: "Restart the kernel (code is kept)" },
  commandMode: { keys: ["Escape"], modes: edit, group: "Cells", title: "Leave the editor (command mode)" },
  editMode: { keys: ["Enter"], modes: command, group: "Cells", title: "Edit the selected cell" },
  selectPrevious: { keys: ["ArrowUp", "K"], modes: command, group: "Cells", title: "Select the cell above" },
  selectNext: { keys: ["ArrowDown", "J"], modes: command, group: "Cells", title: "Select the cell below" },
  insertAbove: { keys: ["A"], modes: command, group: "Cells", title: "Insert a cell above" },
  insertBelow: { keys: ["B"], modes: command, group: "Cells", title: "Insert a cell below" },
  deleteCell: { keys: ["D D"], modes: command, group: "Cells", title: "Delete the cell" },
  undoDelete: { keys: ["Z"], modes: command, group: "Cells", title: "Undo the last cell deletion" },
  toMarkdown: { keys: ["M"], modes: command, group: "Cells", title: "Make the cell markdown" },
  toCode: { keys: ["Y"], modes: command, group: "Cells", title: "Make the cell code" },
  moveUp: { keys: ["Mod+Shift+ArrowUp"], modes: command, group: "Cells", title: "Move the cell up" },
  moveDown: { keys: ["Mod+Shift+ArrowDown"], modes: command, group: "Cells", title: "Move the cell down" },
  clearOutput: { keys: ["O"], modes: command, group: "Cells", title: "Clear the cell's output" },
  save: { keys: ["Mod+S"], modes: both, group: "Notebook", title: "Save now (in this browser)" },
  help: { keys: ["H", "?"], modes: command, group: "Notebook", title: "Show the keyboard shortcuts" },
} as const satisfies Record<string, HotkeySpec>;

export type HotkeyAction = keyof typeof HOTKEYS;

/** What the notebook does for each action: exhaustive by type. */
export type HotkeyHandlers = { readonly [A in HotkeyAction]: () => void };

export const HOTKEY_GROUPS: readonly HotkeyGroup[] = ["Run", "Cells", "Kernel", "Notebook"];

/** The actions of a group, in the registry's order. */
export function hotkeysIn(group: HotkeyGroup): HotkeyAction[] {
  return (Object.keys(HOTKEYS) as HotkeyAction[]).filter((a) => HOTKEYS[a].group === group);
}
