import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import PassphraseDialog from './PassphraseDialog.svelte';

function setup(purpose: 'create' | 'unlock', props: Record<string, unknown> = {}) {
  const onsubmit = vi.fn();
  const oncancel = vi.fn();
  const r = render(PassphraseDialog, { props: { purpose, onsubmit, oncancel, ...props } });
  return { ...r, onsubmit, oncancel };
}

describe('PassphraseDialog', () => {
  it('asks twice when creating, and compares', async () => {
    const { onsubmit } = setup('create');
    expect(screen.getByRole('dialog', { name: 'Choose a passphrase' })).toBeTruthy();
    const [first, second] = [screen.getByLabelText('Passphrase'), screen.getByLabelText('Type it again')];
    await fireEvent.input(first, { target: { value: 'correct horse battery' } });
    await fireEvent.input(second, { target: { value: 'correct horse batterY' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create keys' }));
    expect(onsubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/two passphrases are different/);
    await fireEvent.input(second, { target: { value: 'correct horse battery' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create keys' }));
    expect(onsubmit).toHaveBeenCalledWith('correct horse battery');
  });

  it('refuses a short new passphrase', async () => {
    const { onsubmit } = setup('create');
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'short' } });
    await fireEvent.input(screen.getByLabelText('Type it again'), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create keys' }));
    expect(onsubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/at least 8 characters/);
  });

  it('asks once to unlock', async () => {
    const { onsubmit } = setup('unlock');
    expect(screen.getByRole('dialog', { name: 'Unlock DataShare' })).toBeTruthy();
    expect(screen.queryByLabelText('Type it again')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(onsubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('Enter the passphrase.');
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'x' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Unlock' }).closest('form')!);
    expect(onsubmit).toHaveBeenCalledWith('x');
  });

  it('shows why the last one failed and starts over', async () => {
    const { rerender } = setup('unlock');
    const input = screen.getByLabelText('Passphrase') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'typed' } });
    await rerender({ error: 'That passphrase did not unlock your keys.' });
    expect(screen.getByRole('alert').textContent).toBe('That passphrase did not unlock your keys.');
    expect(input.value).toBe('');
    expect(input.type).toBe('password');
  });

  it('cancels with the button or Escape, but not while busy', async () => {
    const { oncancel, rerender } = setup('unlock');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledTimes(2);
    await rerender({ busy: true });
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('button', { name: 'Unlocking…' })).toBeTruthy();
  });
});
