import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ConfirmDialog from './ConfirmDialog.svelte';

function setup(props: Record<string, unknown> = {}) {
  const onconfirm = vi.fn();
  const oncancel = vi.fn();
  const r = render(ConfirmDialog, {
    props: { title: 'Discard this publish?', message: 'Discard the publish of a.csv?', confirmLabel: 'Discard', onconfirm, oncancel, ...props },
  });
  return { ...r, onconfirm, oncancel };
}

describe('ConfirmDialog', () => {
  it('asks, and answers with either button or Escape', async () => {
    const { onconfirm, oncancel } = setup();
    const dialog = screen.getByRole('alertdialog', { name: 'Discard this publish?' });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('Discard the publish of a.csv?')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(onconfirm).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledTimes(2);
  });

  it('takes no second answer while busy', async () => {
    const { oncancel } = setup({ busy: true, busyLabel: 'Discarding…' });
    expect((screen.getByRole('button', { name: 'Discarding…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Keep it' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(oncancel).not.toHaveBeenCalled();
  });

  it('never renders HTML from the message', () => {
    const { container } = setup({ message: 'Discard the publish of <img src=x onerror=alert(1)>?' });
    expect(container.querySelector('img')).toBeNull();
  });
});
