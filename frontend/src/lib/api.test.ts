import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/App', () => import('../test/wails').then((m) => m.goApp));
vi.mock('../../wailsjs/runtime/runtime', () => import('../test/wails').then((m) => m.runtime));

import { pairing, phoneRequest, phoneWallet, URI } from '../test/fixtures';
import { emit, goApp, goError, listeners, runtime } from '../test/wails';
import { ApiError, api, EVENTS, errorMessage, on, toApiError } from './api';

describe('api', () => {
  beforeEach(() => {
    goApp.State.mockResolvedValue({ state: 'ready', message: '' });
  });

  it('passes every argument of Publish in order', async () => {
    goApp.Publish.mockResolvedValue('job-7');
    const id = await api.publish({ path: '/a/b.csv', name: 'B', priceEth: '0.5', isPublic: true, description: 'd' });
    expect(id).toBe('job-7');
    expect(goApp.Publish).toHaveBeenCalledWith('/a/b.csv', 'B', '0.5', true, 'd');
  });

  it('calls the binding of each method', async () => {
    await api.state();
    await api.retry();
    await api.submitPassphrase('pw');
    await api.cancelPassphrase();
    await api.answerApproval('approval-1', false);
    await api.pendingApprovals();
    await api.listDatasets();
    await api.pickFile();
    await api.download(3, 'x.csv');
    await api.cancelJob('job-1');
    goApp.ResumeJob.mockResolvedValue('job-2');
    expect(await api.resumeJob('7f3a', 'a.csv')).toBe('job-2');
    await api.discardJob('7f3a');
    goApp.Status.mockResolvedValue({ chainId: 1337 });
    await api.status();
    expect(goApp.State).toHaveBeenCalled();
    expect(goApp.Retry).toHaveBeenCalled();
    expect(goApp.SubmitPassphrase).toHaveBeenCalledWith('pw');
    expect(goApp.CancelPassphrase).toHaveBeenCalled();
    expect(goApp.AnswerApproval).toHaveBeenCalledWith('approval-1', false);
    expect(goApp.PendingApprovals).toHaveBeenCalled();
    expect(goApp.ListDatasets).toHaveBeenCalled();
    expect(goApp.PickFile).toHaveBeenCalled();
    expect(goApp.Download).toHaveBeenCalledWith(3, 'x.csv');
    expect(goApp.CancelJob).toHaveBeenCalledWith('job-1');
    expect(goApp.ResumeJob).toHaveBeenCalledWith('7f3a', 'a.csv');
    expect(goApp.DiscardJob).toHaveBeenCalledWith('7f3a');
    expect(goApp.Status).toHaveBeenCalled();
  });

  it('calls the phone approval bindings', async () => {
    goApp.WalletStatus.mockResolvedValue(phoneWallet());
    expect((await api.walletStatus()).walletName).toBe('Rainbow');
    goApp.StartPairing.mockResolvedValue(pairing());
    expect((await api.startPairing()).uri).toBe(URI);
    await api.cancelPairing();
    await api.disconnectWallet();
    goApp.PhoneRequests.mockResolvedValue(null);
    expect(await api.phoneRequests()).toEqual([]);
    goApp.PhoneRequests.mockResolvedValue([phoneRequest()]);
    expect((await api.phoneRequests()).map((r) => r.jobId)).toEqual(['job-1']);
    expect((await api.settings()).defaultRelayUrl).toBe('wss://relay.walletconnect.org');
    await api.saveSettings('ws://127.0.0.1:4444', 'ab'.repeat(16));
    expect(goApp.CancelPairing).toHaveBeenCalled();
    expect(goApp.DisconnectWallet).toHaveBeenCalled();
    expect(goApp.SaveSettings).toHaveBeenCalledWith('ws://127.0.0.1:4444', 'ab'.repeat(16));
  });

  it('passes on why pairing failed, word for word', async () => {
    const why =
      'Phone approval is unavailable: the WalletConnect relay cannot be used: dial tcp 127.0.0.1:9: connection refused. Transactions are still approved on this computer.';
    goApp.StartPairing.mockRejectedValue(why);
    const err = await api.startPairing().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe(why);
    goApp.SaveSettings.mockRejectedValue('the settings were not saved: a publish or download is still running');
    expect((await api.saveSettings('', '').catch((e) => e)).message).toMatch(/not saved/);
  });

  it('turns a rejected call into an ApiError with the Go message', async () => {
    goApp.Publish.mockRejectedValue('price: "1,5" is not an amount of ETH: write it like 0.01');
    const err = await api.publish({ path: '/a', name: '', priceEth: '1,5', isPublic: false, description: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('price: "1,5" is not an amount of ETH: write it like 0.01');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage({ message: 'obj' })).toBe('obj');
    expect(errorMessage(undefined)).toBe('Something went wrong.');
  });

  it('decodes the code and message of a Go error, however Wails delivers it', async () => {
    const msg = 'dataset 7 belongs to 0xAb…01 and 0xCd…02 has no access to its current version: request access from its owner';
    goApp.Download.mockRejectedValue(goError('no_access', msg)); // Wails v2.13 and later: an Error with the text
    let err = await api.download(7, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.code, err.message]).toEqual(['no_access', msg]);

    goApp.Download.mockRejectedValue(JSON.stringify({ code: 'insufficient_funds', message: 'too little' })); // older: the text itself
    err = await api.download(7, 'x').catch((e) => e);
    expect([err.code, err.message]).toEqual(['insufficient_funds', 'too little']);

    expect(toApiError({ code: 'exists', message: 'out.csv already exists' })).toMatchObject({ code: 'exists', message: 'out.csv already exists' });
    expect(toApiError(goError('a_code_from_a_newer_backend', 'new'))).toMatchObject({ code: 'internal', message: 'new' });
    expect(toApiError(goError('not_found', ''))).toMatchObject({ code: 'not_found', message: 'Something went wrong.' });
    expect(toApiError(new Error('error parsing arguments: bad'))).toMatchObject({ code: 'internal', message: 'error parsing arguments: bad' });
    expect(toApiError('{"not":"an error"}')).toMatchObject({ code: 'internal', message: '{"not":"an error"}' });
    expect(toApiError('42')).toMatchObject({ code: 'internal', message: '42' });
    const same = new ApiError('busy', 'wait');
    expect(toApiError(same)).toBe(same);
  });

  it('passes the code of error events on, and an unknown one as internal', () => {
    const seen: unknown[] = [];
    const offs = [on.jobError((e) => seen.push(e.code)), on.pairingError((e) => seen.push(e.code)), on.appState((s) => seen.push(s.code))];
    emit('job:error', { jobId: 'job-1', kind: 'publish', name: 'a', code: 'insufficient_funds', message: 'm' });
    emit('job:error', { jobId: 'job-1', kind: 'publish', name: 'a', code: 'something_new', message: 'm' });
    emit('wallet:pairing-error', { code: 'expired', message: 'm' });
    emit('app:state', { state: 'error', code: 'wrong_passphrase', message: 'm' });
    emit('app:state', { state: 'ready', message: '' });
    expect(seen).toEqual(['insufficient_funds', 'internal', 'expired', 'wrong_passphrase', undefined]);
    offs.forEach((off) => off());
  });

  it('gives empty lists for null', async () => {
    goApp.ListDatasets.mockResolvedValue(null);
    goApp.PendingApprovals.mockResolvedValue(null);
    expect(await api.listDatasets()).toEqual([]);
    expect(await api.pendingApprovals()).toEqual([]);
  });

  it('opens only http(s) links and copies through the runtime', async () => {
    expect(api.openURL('https://sepolia.etherscan.io/tx/0x1')).toBe(true);
    expect(runtime.BrowserOpenURL).toHaveBeenCalledWith('https://sepolia.etherscan.io/tx/0x1');
    expect(api.openURL('javascript:alert(1)')).toBe(false);
    expect(runtime.BrowserOpenURL).toHaveBeenCalledTimes(1);
    await api.copyText('bafy');
    expect(runtime.ClipboardSetText).toHaveBeenCalledWith('bafy');
  });

  it('subscribes to each event by its Go name and unsubscribes', () => {
    const seen: unknown[] = [];
    const offs = [
      on.appState((d) => seen.push(['state', d])),
      on.passphraseRequest((d) => seen.push(['pass', d])),
      on.approvalRequest((d) => seen.push(['approval', d])),
      on.approvalClosed((d) => seen.push(['closed', d])),
      on.jobProgress((d) => seen.push(['progress', d])),
      on.jobDone((d) => seen.push(['done', d])),
      on.jobError((d) => seen.push(['error', d])),
      on.filesDropped((d) => seen.push(['dropped', d])),
      on.walletState((d) => seen.push(['wallet', d])),
      on.walletPaired((d) => seen.push(['paired', d])),
      on.pairingError((d) => seen.push(['pairing-error', d])),
      on.phoneRequest((d) => seen.push(['phone', d])),
      on.phoneRequestClosed((d) => seen.push(['phone-closed', d])),
    ];
    expect(Object.values(EVENTS)).toEqual([
      'app:state',
      'passphrase:request',
      'approval:request',
      'approval:closed',
      'job:progress',
      'job:done',
      'job:error',
      'files:dropped',
      'wallet:state',
      'wallet:paired',
      'wallet:pairing-error',
      'wallet:request',
      'wallet:request-closed',
    ]);
    for (const name of Object.values(EVENTS)) emit(name, { name });
    expect(seen.map((s) => (s as unknown[])[0])).toEqual([
      'state',
      'pass',
      'approval',
      'closed',
      'progress',
      'done',
      'error',
      'dropped',
      'wallet',
      'paired',
      'pairing-error',
      'phone',
      'phone-closed',
    ]);
    offs.forEach((off) => off());
    for (const name of Object.values(EVENTS)) expect(listeners(name)).toBe(0);
  });
});
