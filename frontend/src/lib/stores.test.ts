import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/App', () => import('../test/wails').then((m) => m.goApp));
vi.mock('../../wailsjs/runtime/runtime', () => import('../test/wails').then((m) => m.runtime));

import { approvalRequest, dataset, status as statusFixture } from '../test/fixtures';
import { emit, goApp, goError } from '../test/wails';
import {
  answerApproval,
  appState,
  approvals,
  askDiscard,
  confirmDiscard,
  connect,
  datasets,
  discardAsk,
  download,
  handleFilesDropped,
  jobs,
  LINGER_MS,
  passphraseError,
  passphrasePurpose,
  publish,
  publishError,
  pushToast,
  resetStores,
  resumeJob,
  selectedFile,
  status,
  submitPassphrase,
  toasts,
} from './stores';

const flush = () => new Promise((r) => setTimeout(r, 0));

let disconnect: (() => void) | undefined;

beforeEach(() => {
  resetStores();
});

afterEach(() => {
  disconnect?.();
  disconnect = undefined;
  vi.useRealTimers();
});

describe('connect', () => {
  it('pulls the state and pending approvals, then follows events', async () => {
    goApp.State.mockResolvedValue({ state: 'needs-passphrase', message: '', purpose: 'create' });
    goApp.PendingApprovals.mockResolvedValue([approvalRequest()]);
    disconnect = connect();
    await flush();
    expect(get(appState).state).toBe('needs-passphrase');
    expect(get(passphrasePurpose)).toBe('create');
    expect(get(approvals).map((a) => a.id)).toEqual(['approval-1']);

    goApp.Status.mockResolvedValue(statusFixture());
    goApp.ListDatasets.mockResolvedValue([dataset()]);
    emit('app:state', { state: 'ready', message: '' });
    await flush();
    expect(get(passphrasePurpose)).toBeNull();
    expect(get(status)?.chainId).toBe(1337);
    expect(get(datasets).map((d) => d.name)).toEqual(['report.csv']);
  });

  it('refreshes status and datasets every interval while ready, and stops when disconnected', async () => {
    vi.useFakeTimers();
    goApp.State.mockResolvedValue({ state: 'ready', message: '' });
    goApp.Status.mockResolvedValue(statusFixture());
    disconnect = connect(5000);
    await vi.advanceTimersByTimeAsync(0);
    const calls = goApp.Status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(goApp.Status.mock.calls.length).toBe(calls + 1);
    disconnect();
    disconnect = undefined;
    await vi.advanceTimersByTimeAsync(20000);
    expect(goApp.Status.mock.calls.length).toBe(calls + 1);
  });

  it('queues approval requests and drops withdrawn ones', () => {
    disconnect = connect();
    emit('approval:request', approvalRequest({}, 'approval-1'));
    emit('approval:request', approvalRequest({}, 'approval-2'));
    emit('approval:request', approvalRequest({}, 'approval-2'));
    expect(get(approvals).map((a) => a.id)).toEqual(['approval-1', 'approval-2']);
    emit('approval:closed', { id: 'approval-1' });
    expect(get(approvals).map((a) => a.id)).toEqual(['approval-2']);
  });
});

describe('jobs', () => {
  it('follows a publish from progress to done, then clears it', async () => {
    vi.useFakeTimers();
    disconnect = connect();
    emit('job:progress', { jobId: 'job-1', kind: 'publish', name: 'a.csv', stage: 'encrypt', done: 5, total: 10 });
    expect(get(jobs)).toMatchObject([{ jobId: 'job-1', stage: 'encrypt', done: 5, total: 10, state: 'running' }]);
    emit('job:done', { jobId: 'job-1', kind: 'publish', name: 'a.csv', dataset: dataset({ name: 'a.csv' }) });
    expect(get(jobs)[0].state).toBe('done');
    emit('job:progress', { jobId: 'job-1', kind: 'publish', name: 'a.csv', stage: 'confirm', done: 0, total: -1 });
    expect(get(jobs)[0].state).toBe('done');
    expect(get(toasts)).toMatchObject([{ kind: 'success', title: 'Published “a.csv”' }]);
    expect(goApp.ListDatasets).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(LINGER_MS);
    expect(get(jobs)).toEqual([]);
    expect(get(toasts)).toEqual([]);
  });

  it('shows a failed job with its message and an error toast that stays', async () => {
    vi.useFakeTimers();
    disconnect = connect();
    emit('job:error', { jobId: 'job-2', kind: 'fetch', name: 'b.bin', code: 'unavailable', message: 'the payload could not be found on IPFS' });
    expect(get(jobs)).toMatchObject([{ state: 'error', message: 'the payload could not be found on IPFS' }]);
    expect(get(toasts)).toMatchObject([{ kind: 'error', title: 'Downloading “b.bin” did not finish', message: 'the payload could not be found on IPFS' }]);
    await vi.advanceTimersByTimeAsync(LINGER_MS * 3);
    expect(get(toasts)).toHaveLength(1);
  });

  it('does not report a canceled job as an error', () => {
    disconnect = connect();
    emit('job:error', { jobId: 'job-3', kind: 'publish', name: 'c', code: 'canceled', message: 'Canceled.' });
    expect(get(jobs)[0].state).toBe('canceled');
    expect(get(toasts)).toEqual([]);
  });

  it('tells a canceled job by its code, not its message', () => {
    disconnect = connect();
    emit('job:error', { jobId: 'job-5', kind: 'publish', name: 'd', code: 'canceled', message: 'Stopped when DataShare closed.' });
    emit('job:error', { jobId: 'job-6', kind: 'publish', name: 'e', code: 'internal', message: 'Canceled.' });
    expect(get(jobs).map((j) => j.state)).toEqual(['canceled', 'error']);
    expect(get(toasts)).toMatchObject([{ kind: 'error', title: 'Publishing “e” did not finish' }]);
  });

  it('starts a publish and closes the form, or keeps the form with the reason', async () => {
    selectedFile.set('/data/x.csv');
    goApp.Publish.mockResolvedValue('job-9');
    await publish({ path: '/data/x.csv', name: '', priceEth: '0', isPublic: false, description: '' });
    expect(get(selectedFile)).toBeNull();
    expect(get(jobs)).toMatchObject([{ jobId: 'job-9', name: 'x.csv', kind: 'publish', state: 'running' }]);

    selectedFile.set('/data/dir');
    goApp.Publish.mockRejectedValue('/data/dir is a folder; DataShare publishes single files');
    await publish({ path: '/data/dir', name: '', priceEth: '0', isPublic: false, description: '' });
    expect(get(selectedFile)).toBe('/data/dir');
    expect(get(publishError)).toBe('/data/dir is a folder; DataShare publishes single files');
  });

  it('starts no download when the save dialog is closed', async () => {
    goApp.Download.mockResolvedValue('');
    await download(dataset());
    expect(get(jobs)).toEqual([]);
    goApp.Download.mockResolvedValue('job-4');
    await download(dataset({ name: 'z.csv' }));
    expect(get(jobs)).toMatchObject([{ jobId: 'job-4', kind: 'fetch', name: 'z.csv' }]);
  });
});

describe('unfinished publishes', () => {
  const job = dataset({ id: 0, jobId: 'job-7f3a', name: 'a.csv', status: 'failed', error: 'rejected' });

  it('resumes as a publish job, or says why not', async () => {
    goApp.ResumeJob.mockResolvedValue('job-2');
    await resumeJob(job);
    expect(get(jobs)).toMatchObject([{ jobId: 'job-2', kind: 'publish', name: 'a.csv', state: 'running' }]);
    expect(goApp.ListDatasets).toHaveBeenCalled();
    goApp.ResumeJob.mockRejectedValue(goError('busy', 'a.csv: this file is already being published'));
    await resumeJob(job);
    expect(get(toasts)).toMatchObject([{ kind: 'error', title: '“a.csv” could not be resumed', message: 'a.csv: this file is already being published' }]);
  });

  it('discards only what was asked about, once', async () => {
    await confirmDiscard(); // nothing asked
    expect(goApp.DiscardJob).not.toHaveBeenCalled();
    askDiscard(job);
    expect(get(discardAsk)).toBe(job);
    goApp.DiscardJob.mockResolvedValue(undefined);
    await Promise.all([confirmDiscard(), confirmDiscard()]);
    expect(goApp.DiscardJob).toHaveBeenCalledTimes(1);
    expect(goApp.DiscardJob).toHaveBeenCalledWith('job-7f3a');
    expect(get(discardAsk)).toBeNull();
  });

  it('tells a job that is gone already from a failure by its code', async () => {
    askDiscard(job);
    goApp.DiscardJob.mockRejectedValue(goError('not_found', 'there is no publish job "job-7f3a"'));
    await confirmDiscard();
    expect(get(toasts)).toMatchObject([{ kind: 'info', title: '“a.csv” is no longer unfinished' }]);
  });
});

describe('dropped files', () => {
  it('opens the publish form for the first file', () => {
    disconnect = connect();
    emit('files:dropped', { paths: ['/tmp/one.csv'] });
    expect(get(selectedFile)).toBe('/tmp/one.csv');
    expect(get(toasts)).toEqual([]);
    handleFilesDropped({ paths: ['/tmp/a.csv', '/tmp/b.csv'] });
    expect(get(selectedFile)).toBe('/tmp/a.csv');
    expect(get(toasts)[0]).toMatchObject({ kind: 'info', title: 'One file at a time' });
  });
});

describe('passphrase and approvals', () => {
  it('asks again, saying why, after a wrong passphrase', async () => {
    disconnect = connect();
    emit('app:state', { state: 'needs-passphrase', message: '', purpose: 'unlock' });
    await submitPassphrase('wrong one');
    expect(goApp.SubmitPassphrase).toHaveBeenCalledWith('wrong one');
    emit('app:state', { state: 'error', code: 'wrong_passphrase', message: 'the keys file /x/keys.age does not open with this passphrase' });
    expect(get(passphraseError)).toMatch(/^That passphrase did not unlock your keys/);
    expect(goApp.Retry).toHaveBeenCalledTimes(1);

    await submitPassphrase('short');
    emit('app:state', { state: 'error', code: 'weak_passphrase', message: 'new passphrase: 5 characters is too short' });
    expect(get(passphraseError)).toBe('new passphrase: 5 characters is too short');
    expect(goApp.Retry).toHaveBeenCalledTimes(2);
  });

  it('does not retry on its own after other errors', () => {
    disconnect = connect();
    emit('app:state', { state: 'error', code: 'internal', message: 'start the local chain: disk full' });
    expect(goApp.Retry).not.toHaveBeenCalled();
  });

  it('asks again only for a wrong or weak passphrase, whatever the message says', async () => {
    disconnect = connect();
    emit('app:state', { state: 'needs-passphrase', message: '', purpose: 'unlock' });
    await submitPassphrase('right one');
    emit('app:state', { state: 'error', code: 'busy', message: 'the keys are unlocked, but the passphrase file is in use: wrong passphrase?' });
    expect(goApp.Retry).not.toHaveBeenCalled();
    expect(get(passphraseError)).toBe('');
    expect(get(appState)).toMatchObject({ state: 'error', code: 'busy' });
  });

  it('removes an answered approval from the queue', async () => {
    approvals.set([approvalRequest({}, 'approval-1'), approvalRequest({}, 'approval-2')]);
    await answerApproval('approval-1', true);
    expect(goApp.AnswerApproval).toHaveBeenCalledWith('approval-1', true);
    expect(get(approvals).map((a) => a.id)).toEqual(['approval-2']);
  });
});

describe('toasts', () => {
  it('does not stack the same message twice', () => {
    pushToast('error', 'Your datasets could not be listed', 'index is locked');
    pushToast('error', 'Your datasets could not be listed', 'index is locked');
    expect(get(toasts)).toHaveLength(1);
  });
});
