// Phone approval through the whole window, over mocked bindings.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../wailsjs/go/app/App', () => import('./test/wails').then((m) => m.goApp));
vi.mock('../wailsjs/runtime/runtime', () => import('./test/wails').then((m) => m.runtime));

import App from './App.svelte';
import { resetStores } from './lib/stores';
import { computerWallet, pairing, phoneRequest, phoneWallet, URI } from './test/fixtures';
import { emit, goApp, goError, runtime } from './test/wails';

beforeEach(() => {
  resetStores();
  goApp.State.mockResolvedValue({ state: 'ready', message: '' });
});

const entry = () => screen.findByRole('button', { name: /^Phone approval:/ });

describe('phone approval in the window', () => {
  it('pairs a phone from the header: settings, QR code, then the wallet in the header', async () => {
    goApp.WalletStatus.mockResolvedValue(computerWallet());
    render(App);
    await waitFor(async () => expect((await entry()).getAttribute('aria-label')).toBe('Phone approval: Approve on this computer'));
    await fireEvent.click(await entry());
    const settings = await screen.findByRole('dialog', { name: 'Settings' });
    goApp.StartPairing.mockResolvedValue(pairing(300));
    await fireEvent.click(within(settings).getByRole('button', { name: 'Pair a phone' }));

    const modal = await screen.findByRole('dialog', { name: 'Pair a phone wallet' });
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    expect(await within(modal).findByRole('img', { name: /QR code/ })).toBeTruthy();
    expect(within(modal).getByTestId('countdown').textContent).toMatch(/Expires in [45]:\d\d/);

    await fireEvent.click(within(modal).getByRole('button', { name: 'Copy link' }));
    expect(runtime.ClipboardSetText).toHaveBeenCalledWith(URI);
    expect(await within(modal).findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(screen.queryByText(/copied/)).toBeNull(); // no toast: it would sit under the window

    goApp.WalletStatus.mockResolvedValue(phoneWallet());
    emit('wallet:state', { status: phoneWallet() });
    emit('wallet:paired', { status: phoneWallet() });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Pair a phone wallet' })).toBeNull());
    expect((await entry()).getAttribute('aria-label')).toBe('Phone approval: Rainbow · 0x9965…A4dc');
    expect(await screen.findByText('Connected to Rainbow')).toBeTruthy();
  });

  it('makes a new code when the old one expires, and says so', async () => {
    render(App);
    await fireEvent.click(await entry());
    goApp.StartPairing.mockResolvedValueOnce(pairing(300)).mockResolvedValueOnce(pairing(300, { uri: 'wc:new@2' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Pair a phone' }));
    await screen.findByRole('img', { name: /QR code/ });
    emit('wallet:pairing-error', { code: 'expired', message: 'The code expired before a wallet scanned it.' });
    expect((await screen.findByTestId('pairing-note')).textContent).toBe('The last code expired, so here is a new one.');
    expect(goApp.StartPairing).toHaveBeenCalledTimes(2);
    expect((screen.getByLabelText(/Wallet on this computer/) as HTMLInputElement).value).toBe('wc:new@2');
  });

  it('says the relay is unavailable and that this computer still approves', async () => {
    render(App);
    await fireEvent.click(await entry());
    goApp.StartPairing.mockRejectedValue(
      goError(
        'relay_unavailable',
        'Phone approval is unavailable: the WalletConnect relay cannot be used: dial tcp 127.0.0.1:9: connection refused. Transactions are still approved on this computer.',
      ),
    );
    await fireEvent.click(await screen.findByRole('button', { name: 'Pair a phone' }));
    const alert = await screen.findByTestId('pairing-error');
    expect(alert.textContent).toMatch(/relay cannot be used.*Transactions are still approved on this computer\./);
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(goApp.CancelPairing).toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('offers the relay settings when the relay cannot be used', async () => {
    render(App);
    await fireEvent.click(await entry());
    goApp.StartPairing.mockRejectedValue(goError('relay_unavailable', 'Phone approval is unavailable: the relay did not answer.'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Pair a phone' }));
    await screen.findByTestId('pairing-error');
    await fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    expect(goApp.CancelPairing).toHaveBeenCalled();
    const settings = await screen.findByRole('dialog', { name: 'Settings' });
    expect(within(settings).getByLabelText('Relay address')).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: 'Pair a phone wallet' })).toBeNull();
  });

  it('says "check your phone" while a publish waits for it, and still cancels the job', async () => {
    goApp.WalletStatus.mockResolvedValue(phoneWallet());
    render(App);
    await entry();
    emit('job:progress', { jobId: 'job-1', kind: 'publish', name: 'birds.csv', stage: 'approve', done: 0, total: -1 });
    emit('wallet:request', phoneRequest({ dataset: 'birds.csv' }, 'phone-1', 'job-1'));
    const dialog = await screen.findByRole('dialog', { name: 'Check your phone' });
    await waitFor(() => expect(within(dialog).getByTestId('phone-desc').textContent).toContain('Approve this transaction in Rainbow.'));
    expect(within(dialog).getByTestId('dataset').textContent).toBe('birds.csv');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(goApp.CancelJob).toHaveBeenCalledWith('job-1');
    emit('wallet:request-closed', { id: 'phone-1' });
    emit('job:error', { jobId: 'job-1', kind: 'publish', name: 'birds.csv', code: 'canceled', message: 'Canceled.' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Check your phone' })).toBeNull());
  });

  it('saves relay settings and shows that DataShare reconnects', async () => {
    render(App);
    await fireEvent.click(await entry());
    const settings = await screen.findByRole('dialog', { name: 'Settings' });
    await fireEvent.input(within(settings).getByLabelText('Relay address'), { target: { value: 'ws://127.0.0.1:4444' } });
    await fireEvent.click(within(settings).getByRole('button', { name: 'Save' }));
    expect(goApp.SaveSettings).toHaveBeenCalledWith('ws://127.0.0.1:4444', '');
    expect(await screen.findByText('Settings saved')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());
  });
});
