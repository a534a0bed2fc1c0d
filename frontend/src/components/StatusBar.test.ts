import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { status } from '../test/fixtures';
import StatusBar from './StatusBar.svelte';

const text = () => screen.getByRole('contentinfo').textContent!.replace(/\s+/g, ' ');

describe('StatusBar', () => {
  it('shows network, IPFS, account and balance', () => {
    render(StatusBar, { props: { status: status(), state: 'ready', oncopy: vi.fn() } });
    expect(text()).toContain('Local (this computer) · chain 1337');
    expect(text()).toContain('IPFS built-in node · 3 peers');
    expect(text()).toContain('Account 0x71C7…976F');
    expect(screen.getByTestId('balance').textContent).toBe('10 ETH');
    expect(text()).toContain('Block 42');
  });

  it('says peer for one peer and names a daemon; shows dust balances', () => {
    render(StatusBar, { props: { status: status({ ipfsMode: 'daemon', ipfsPeers: 1, balance: '5' }), state: 'ready', oncopy: vi.fn() } });
    expect(text()).toContain('IPFS your IPFS daemon · 1 peer');
    expect(screen.getByTestId('balance').textContent).toBe('< 0.0001 ETH');
  });

  it('copies the full account address', async () => {
    const oncopy = vi.fn();
    render(StatusBar, { props: { status: status(), state: 'ready', oncopy } });
    await fireEvent.click(screen.getByRole('button', { name: /Account/ }));
    expect(oncopy).toHaveBeenCalledWith('0x71C7656EC7ab88b098defB751B7401B5f6d8976F', 'Account address');
  });

  it('says what it waits for before there is a status, and why a refresh failed', () => {
    const { rerender } = render(StatusBar, { props: { status: null, state: 'starting', oncopy: vi.fn() } });
    expect(text()).toContain('Starting…');
    rerender({ status: null, state: 'needs-passphrase' });
    expect(text()).toContain('Waiting for your passphrase');
    rerender({ status: status(), state: 'ready', error: 'the local chain does not answer' });
    expect(text()).toContain('Cannot refresh: the local chain does not answer');
  });
});
