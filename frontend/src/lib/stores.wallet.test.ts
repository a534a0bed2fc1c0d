// Phone approval in the stores: wallet status, pairing (codes, expiry, errors), phone requests
// and settings.
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/App', () => import('../test/wails').then((m) => m.goApp));
vi.mock('../../wailsjs/runtime/runtime', () => import('../test/wails').then((m) => m.runtime));

import { computerWallet, pairing, phoneRequest, phoneWallet } from '../test/fixtures';
import { emit, goApp, goError } from '../test/wails';
import {
  closePairing,
  connect,
  disconnectBusy,
  disconnectWallet,
  EXPIRED_NOTE,
  openPairing,
  openSettings,
  pairingState,
  phoneRequests,
  regeneratePairing,
  resetStores,
  retryPairing,
  saveSettings,
  settingsError,
  settingsOpen,
  toasts,
  wallet,
  walletSettings,
} from './stores';

const flush = () => new Promise((r) => setTimeout(r, 0));

let disconnect: (() => void) | undefined;

beforeEach(() => {
  resetStores();
  disconnect = connect();
});

afterEach(() => {
  disconnect?.();
  disconnect = undefined;
  vi.useRealTimers();
});

const RELAY_DOWN =
  'Phone approval is unavailable: the WalletConnect relay cannot be used: dial tcp 127.0.0.1:9: connection refused. Transactions are still approved on this computer.';

describe('wallet status', () => {
  it('is pulled when DataShare is ready and follows wallet:state', async () => {
    goApp.WalletStatus.mockResolvedValue(computerWallet());
    emit('app:state', { state: 'ready', message: '' });
    await flush();
    expect(get(wallet)?.approval).toBe('computer');
    emit('wallet:state', { status: phoneWallet() });
    expect(get(wallet)?.walletName).toBe('Rainbow');
    emit('wallet:state', { status: computerWallet() });
    expect(get(wallet)?.approval).toBe('computer');
  });
});

describe('phone requests', () => {
  it('pulls the ones sent before the page loaded, queues new ones and drops closed ones', async () => {
    goApp.PhoneRequests.mockResolvedValue([phoneRequest({}, 'phone-1')]);
    emit('app:state', { state: 'ready', message: '' });
    await flush();
    expect(get(phoneRequests).map((r) => r.id)).toEqual(['phone-1']);
    emit('wallet:request', phoneRequest({}, 'phone-2', 'job-2'));
    emit('wallet:request', phoneRequest({}, 'phone-2', 'job-2'));
    expect(get(phoneRequests).map((r) => r.id)).toEqual(['phone-1', 'phone-2']);
    emit('wallet:request-closed', { id: 'phone-1' });
    expect(get(phoneRequests).map((r) => r.jobId)).toEqual(['job-2']);
  });
});

describe('pairing', () => {
  it('opens with "making a code", then shows the code; settings close', async () => {
    settingsOpen.set(true);
    const code = pairing();
    let answer!: (p: unknown) => void;
    goApp.StartPairing.mockReturnValue(new Promise((r) => (answer = r)));
    const done = openPairing();
    expect(get(settingsOpen)).toBe(false);
    expect(get(pairingState)).toMatchObject({ open: true, busy: true, pairing: null, error: '' });
    answer(code);
    await done;
    expect(get(pairingState)).toMatchObject({ open: true, busy: false, pairing: code, note: '' });
  });

  it('says why there is no code when the relay is unavailable, and tries again', async () => {
    goApp.StartPairing.mockRejectedValue(goError('relay_unavailable', RELAY_DOWN));
    await openPairing();
    expect(get(pairingState)).toMatchObject({ open: true, busy: false, pairing: null, error: RELAY_DOWN, errorCode: 'relay_unavailable' });
    goApp.StartPairing.mockResolvedValue(pairing());
    await retryPairing();
    expect(get(pairingState).error).toBe('');
    expect(get(pairingState).pairing).not.toBeNull();
  });

  it('makes a new code when the code expires, with a note, once', async () => {
    const first = pairing(1);
    const second = pairing(300, { uri: 'wc:second@2?symKey=00' });
    goApp.StartPairing.mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    await openPairing();
    emit('wallet:pairing-error', { code: 'expired', message: 'The code expired before a wallet scanned it.' });
    await regeneratePairing(first); // the window's own countdown reaching zero at the same time
    await flush();
    expect(goApp.StartPairing).toHaveBeenCalledTimes(2);
    expect(get(pairingState)).toMatchObject({ pairing: second, note: EXPIRED_NOTE, error: '' });
    await regeneratePairing(first); // a late report for the old code
    expect(goApp.StartPairing).toHaveBeenCalledTimes(2);
  });

  it('shows a rejection as an error', async () => {
    goApp.StartPairing.mockResolvedValue(pairing());
    await openPairing();
    emit('wallet:pairing-error', { code: 'rejected', message: 'The wallet declined the connection. Transactions are still approved on this computer.' });
    expect(get(pairingState)).toMatchObject({ open: true, pairing: null, errorCode: 'rejected', error: expect.stringMatching(/declined/) });
  });

  it('closes when the phone connects, and says so', async () => {
    goApp.StartPairing.mockResolvedValue(pairing());
    await openPairing();
    emit('wallet:paired', { status: phoneWallet() });
    expect(get(pairingState).open).toBe(false);
    expect(get(wallet)?.approval).toBe('phone');
    expect(get(toasts).map((t) => t.title)).toEqual(['Connected to Rainbow']);
    expect(get(toasts)[0].message).toMatch(/approved on your phone/);
  });

  it('cancels in the backend, and ignores a code that arrives after closing', async () => {
    let answer!: (p: unknown) => void;
    goApp.StartPairing.mockReturnValue(new Promise((r) => (answer = r)));
    const done = openPairing();
    await closePairing();
    expect(goApp.CancelPairing).toHaveBeenCalled();
    answer(pairing());
    await done;
    expect(get(pairingState).open).toBe(false);
    emit('wallet:pairing-error', { code: 'expired', message: 'x' });
    emit('wallet:paired', { status: phoneWallet() });
    expect(goApp.StartPairing).toHaveBeenCalledTimes(1);
    expect(get(pairingState).open).toBe(false);
    expect(get(toasts)).toEqual([]);
  });
});

describe('settings', () => {
  it('loads the saved relay and project ID', async () => {
    goApp.Settings.mockResolvedValue({ relayUrl: 'ws://127.0.0.1:4444', projectId: '', defaultRelayUrl: 'wss://relay.walletconnect.org' });
    await openSettings();
    expect(get(settingsOpen)).toBe(true);
    expect(get(walletSettings)?.relayUrl).toBe('ws://127.0.0.1:4444');
  });

  it('saves, closes and says DataShare reconnects; or keeps the reason', async () => {
    await openSettings();
    goApp.SaveSettings.mockRejectedValueOnce('the settings were not saved: a publish or download is still running: let it finish or cancel it, then try again');
    await saveSettings(' ws://127.0.0.1:4444 ', '');
    expect(get(settingsOpen)).toBe(true);
    expect(get(settingsError)).toMatch(/still running/);
    await saveSettings(' ws://127.0.0.1:4444 ', 'AB'.repeat(16));
    expect(goApp.SaveSettings).toHaveBeenLastCalledWith('ws://127.0.0.1:4444', 'AB'.repeat(16));
    expect(get(settingsOpen)).toBe(false);
    expect(get(settingsError)).toBe('');
    expect(get(toasts).map((t) => t.title)).toEqual(['Settings saved']);
  });

  it('disconnects the phone and pulls the new status', async () => {
    goApp.WalletStatus.mockResolvedValue(computerWallet());
    const done = disconnectWallet();
    expect(get(disconnectBusy)).toBe(true);
    await done;
    expect(goApp.DisconnectWallet).toHaveBeenCalled();
    expect(get(disconnectBusy)).toBe(false);
    expect(get(wallet)?.approval).toBe('computer');
    expect(get(toasts)[0].message).toBe('Transactions are approved on this computer again.');
  });

  it('leaves it to Settings, when open, to show the disconnected state', async () => {
    await openSettings();
    await disconnectWallet();
    expect(goApp.DisconnectWallet).toHaveBeenCalled();
    expect(get(toasts)).toEqual([]);
  });

  it('says when the wallet could not be told', async () => {
    goApp.DisconnectWallet.mockRejectedValue(RELAY_DOWN);
    await disconnectWallet();
    expect(get(toasts)[0]).toMatchObject({ kind: 'error', message: RELAY_DOWN });
  });
});
