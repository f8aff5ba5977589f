// The keyboard help sheet (H or ?): generated from the hotkey registry, grouped as it is.
import { displayKey } from "../hotkeys/keys.js";
import { HOTKEY_GROUPS, HOTKEYS, hotkeysIn } from "../hotkeys/registry.js";
import { Modal } from "./Modal.js";

export function HelpSheet({ onClose }: { onClose: () => void }) {
  return (
    <Modal
      title="Keyboard shortcuts"
      onClose={onClose}
      testId="help-sheet"
      wide
      actions={
        <button type="button" className="button primary" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      <p className="help-intro">
        <kbd>Esc</kbd> leaves the editor for command mode, where single keys act on the selected cell; <kbd>Enter</kbd> goes back to editing.
      </p>
      <div className="help-groups">
        {HOTKEY_GROUPS.map((group) => (
          <section key={group} className="help-group">
            <h3>{group}</h3>
            <table>
              <tbody>
                {hotkeysIn(group).map((action) => {
                  const spec = HOTKEYS[action];
                  return (
                    <tr key={action} data-action={action}>
                      <td className="help-keys">
                        {spec.keys.map((k, i) => (
                          <kbd key={i}>{displayKey(k)}</kbd>
                        ))}
                      </td>
                      <td>
                        {spec.title}
                        {spec.modes.length === 1 && <span className="help-mode"> ({spec.modes[0]} mode)</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
