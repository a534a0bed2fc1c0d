// Keyboard focus inside modal dialogs.

const focusable = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href]';

/**
 * trapTab keeps Tab and Shift+Tab inside a modal dialog: past the last focusable element focus
 * goes back to the first, and before the first (or from the dialog itself) to the last. Call it
 * from the dialog's keydown handler; other keys are left alone.
 */
export function trapTab(e: KeyboardEvent, dialog: HTMLElement | undefined | null): void {
  if (e.key !== 'Tab' || !dialog) return;
  const items = Array.from(dialog.querySelectorAll<HTMLElement>(focusable));
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (e.shiftKey && (active === first || active === dialog)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
