import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { computerWallet, phoneWallet, XSS } from '../test/fixtures';
import type { WalletSettings } from '../lib/types';
import SettingsPanel from './SettingsPanel.svelte';

const saved = (over: Partial<WalletSettings> = {}): WalletSettings => ({
  relayUrl: '',
  projectId: '',
  defaultRelayUrl: 'wss://relay.walletconnect.org',
  ...over,
});

function setup(props: Record<string, unknown> = {}) {
  const handlers = { onsave: vi.fn(), onclose: vi.fn(), onpair: vi.fn(), ondisconnect: vi.fn() };
  const r = render(SettingsPanel, { props: { settings: saved(), wallet: computerWallet(), ...handlers, ...props } });
  const relay = () => screen.getByLabelText('Relay address') as HTMLInputElement;
  const project = () => screen.getByLabelText('Project ID') as HTMLInputElement;
  const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim();
  return { ...r, ...handlers, relay, project, text };
}

describe('SettingsPanel', () => {
  it('says this computer approves, and offers to pair a phone', async () => {
    const { onpair, text } = setup();
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
    expect(text('approval-summary')).toMatch(/^Transactions are approved on this computer\./);
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Pair a phone' }));
    expect(onpair).toHaveBeenCalled();
  });

  it('shows the connected wallet, its account and expiry, and disconnects', async () => {
    const { ondisconnect, text, rerender } = setup({ wallet: phoneWallet() });
    expect(text('approval-summary')).toBe('Transactions are approved on your phone.');
    expect(text('wallet-name')).toBe('Rainbow');
    expect(text('wallet-url')).toBe('https://rainbow.me');
    expect(text('wallet-account')).toBe('0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc');
    expect(text('wallet-expiry')).toMatch(/Jan 9, 2030/);
    await fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    expect(ondisconnect).toHaveBeenCalled();
    await rerender({ disconnecting: true });
    expect((screen.getByRole('button', { name: 'Disconnecting…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a wallet name as text and why phone approval is unavailable', () => {
    const { container, text } = setup({ wallet: phoneWallet({ walletName: XSS, unavailable: 'the wallet shared no account on Local' }) });
    expect(container.querySelector('img')).toBeNull();
    expect(text('wallet-name')).toBe(XSS);
    expect(text('wallet-unavailable')).toBe('the wallet shared no account on Local');
  });

  it('fills in the saved relay and project ID, and says where to get a project ID', () => {
    const { relay, project, text } = setup({ settings: saved({ relayUrl: 'ws://127.0.0.1:4444', projectId: 'ab'.repeat(16) }) });
    expect(relay().value).toBe('ws://127.0.0.1:4444');
    expect(project().value).toBe('ab'.repeat(16));
    expect(text('project-hint')).toMatch(/cloud\.reown\.com/);
    expect(text('project-hint')).toMatch(/Your own relay may not need one/);
  });

  it('shows what to fix instead of saving bad values', async () => {
    const { relay, project, onsave } = setup();
    await fireEvent.input(relay(), { target: { value: 'https://relay.example' } });
    await fireEvent.input(project(), { target: { value: 'abc' } });
    expect(screen.queryByTestId('relay-problem')).toBeNull(); // not before a save is tried
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onsave).not.toHaveBeenCalled();
    expect(screen.getByTestId('relay-problem').textContent).toBe('Enter a ws:// or wss:// address, like wss://relay.walletconnect.org.');
    expect(screen.getByTestId('project-problem').textContent).toBe(
      'A project ID is 32 characters long, made of digits and the letters a to f (this one has 3).',
    );
    expect(relay().getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(relay(), { target: { value: 'wss://relay.example' } });
    expect(screen.queryByTestId('relay-problem')).toBeNull();
    expect(screen.getByTestId('project-problem')).toBeTruthy();
  });

  it('saves trimmed values', async () => {
    const { relay, project, onsave } = setup();
    await fireEvent.input(relay(), { target: { value: '  ws://127.0.0.1:4444 ' } });
    await fireEvent.input(project(), { target: { value: ' ' + 'AB'.repeat(16) } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onsave).toHaveBeenCalledWith('ws://127.0.0.1:4444', 'AB'.repeat(16));
  });

  it('shows why DataShare did not save, and closes by button or Escape', async () => {
    const { onclose } = setup({ error: 'the settings were not saved: a publish or download is still running' });
    expect(screen.getByRole('alert').textContent).toBe('the settings were not saved: a publish or download is still running');
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(2);
  });

  it('cannot be saved twice while saving', async () => {
    const { onsave } = setup({ busy: true });
    const save = screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.submit(save.closest('form')!);
    expect(onsave).not.toHaveBeenCalled();
  });
});
