import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Recipient } from '../lib/types';
import ShareForm from './ShareForm.svelte';

const GOOD = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
const NOKEY = '0x2222222222222222222222222222222222222222';

function setup(over: { error?: string; busy?: boolean } = {}) {
  // The backend's answers (app.CheckAddress): the form has no address rules of its own.
  const oncheck = vi.fn(async (addr: string): Promise<Recipient> => {
    if (addr === GOOD.toLowerCase() || addr === GOOD) return { account: GOOD, registered: true };
    if (addr === NOKEY) return { account: NOKEY, registered: false, message: `${NOKEY} has no DataShare encryption key on Local` };
    throw new Error(`"${addr}" has a wrong checksum (EIP-55): check for a typo`);
  });
  const onshare = vi.fn(async () => true);
  render(ShareForm, { props: { oncheck, onshare, ...over } });
  const input = screen.getByLabelText('Account address') as HTMLInputElement;
  const check = screen.getByTestId('address-check');
  return { oncheck, onshare, input, check };
}

async function type(input: HTMLInputElement, value: string) {
  input.value = value;
  await fireEvent.input(input);
}

describe('ShareForm', () => {
  it('checks the address through the backend as it is typed and shows its answer', async () => {
    const { oncheck, input, check } = setup();
    await type(input, GOOD.slice(0, -1) + 'f');
    await waitFor(() => expect(check.textContent).toMatch(/wrong checksum/));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await type(input, NOKEY);
    await waitFor(() => expect(check.textContent).toMatch(/has no DataShare encryption key/));
    expect((screen.getByRole('button', { name: 'Add' }) as HTMLButtonElement).disabled).toBe(true);
    await type(input, GOOD.toLowerCase());
    await waitFor(() => expect(check.textContent).toBe(`${GOOD} can receive it.`));
    expect(oncheck).toHaveBeenLastCalledWith(GOOD.toLowerCase());
    expect(input.getAttribute('aria-invalid')).toBe('false');
  });

  it('adds with Enter (the checksummed form) and shares every added account in one call', async () => {
    const { onshare, input, check } = setup();
    await type(input, GOOD.toLowerCase());
    await waitFor(() => expect(check.textContent).toMatch(/can receive it/));
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('list', { name: 'Accounts to share with' }).textContent).toContain(GOOD);
    expect(input.value).toBe('');
    await fireEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(onshare).toHaveBeenCalledWith([GOOD]);
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Accounts to share with' })).toBeNull());
  });

  it('does not share an address the backend refused', async () => {
    const { onshare, input, check } = setup();
    await type(input, NOKEY);
    await waitFor(() => expect(check.textContent).toMatch(/no DataShare encryption key/));
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByRole('list', { name: 'Accounts to share with' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Share' }) as HTMLButtonElement).disabled).toBe(true);
    expect(onshare).not.toHaveBeenCalled();
  });

  it('shows why a share failed', () => {
    setup({ error: 'only the owner can share dataset 3' });
    expect(screen.getByRole('alert').textContent).toBe('only the owner can share dataset 3');
  });
});
