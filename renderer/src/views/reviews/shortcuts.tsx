import { useEffect, useRef, type ReactNode } from 'react';

/** Inputs that take typed text: a letter pressed there is the reviewer's writing, never a command. */
const CHOICE_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !CHOICE_INPUTS.has(target.type);
}

/**
 * Single keys for the page's commands, as Label Studio and CVAT have them. They
 * stay out of the way of everything else: not while typing in a field, not
 * while a dialog is open (its keys are its own), and never with Ctrl, Cmd or
 * Alt held, which belong to the app (Ctrl+1…7) and the system. Keys are
 * matched as typed, lower-cased, so "?" is Shift+/ on a US keyboard.
 */
export function useShortcuts(keys: Record<string, (() => void) | null>): void {
  const latest = useRef(keys);
  useEffect(() => {
    latest.current = keys;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (typingIn(event.target) || document.querySelector('dialog[open]')) return;
      const run = latest.current[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!run) return;
      event.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}

/** Ctrl+Enter, or Cmd+Enter on a Mac, sends from anywhere on the page, the comment field too; a dialog's keys stay its own. */
export function useSendKey(run: (() => void) | null): void {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      latest.current?.();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}

export const SEND_KEYS = 'Control+Enter Meta+Enter';

/** A key as it is printed on the keyboard, beside the command it runs. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="rv-kbd">{children}</kbd>;
}

export type ShortcutRow = [keys: ReactNode, what: string];

/**
 * "Keyboard shortcuts", a disclosure that lists them; `?` opens and closes it.
 * Open or closed is the caller's, so the `?` key and a click agree.
 */
export function ShortcutHelp({ rows, open, onToggle }: { rows: ShortcutRow[]; open: boolean; onToggle(open: boolean): void }) {
  return (
    <details className="rv-shortcuts" open={open} onToggle={(event) => onToggle(event.currentTarget.open)} data-testid="shortcut-help">
      <summary aria-keyshortcuts="Shift+?">
        Keyboard shortcuts <Kbd>?</Kbd>
      </summary>
      <dl>
        {rows.map(([keys, what]) => (
          <div key={what}>
            <dt>{keys}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
