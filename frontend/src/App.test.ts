// The whole window over mocked bindings: events from Go in, calls to Go out.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../wailsjs/go/app/App', () => import('./test/wails').then((m) => m.goApp));
vi.mock('../wailsjs/runtime/runtime', () => import('./test/wails').then((m) => m.runtime));

import App from './App.svelte';
import { resetStores } from './lib/stores';
import { approvalRequest, dataset, status, XSS } from './test/fixtures';
import { emit, goApp, runtime } from './test/wails';

beforeEach(() => {
  resetStores();
});

describe('App', () => {
  it('shows Starting… until the backend is ready, then the big drop zone', async () => {
    render(App);
    expect((await screen.findByRole('heading', { name: 'Starting…' })).tagName).toBe('H2');
    goApp.Status.mockResolvedValue(status());
    emit('app:state', { state: 'ready', message: '' });
    const zone = await screen.findByTestId('dropzone');
    expect(zone.classList.contains('compact')).toBe(false);
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('10 ETH'));
  });

  it('asks for the passphrase it was asked for before the page loaded', async () => {
    goApp.State.mockResolvedValue({ state: 'needs-passphrase', message: '', purpose: 'unlock' });
    render(App);
    const dialog = await screen.findByRole('dialog', { name: 'Unlock DataShare' });
    await fireEvent.input(within(dialog).getByLabelText('Passphrase'), { target: { value: 'pw' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Unlock' }));
    expect(goApp.SubmitPassphrase).toHaveBeenCalledWith('pw');
  });

  it('publishes a dropped file, with approval and progress', async () => {
    goApp.State.mockResolvedValue({ state: 'ready', message: '' });
    goApp.ListDatasets.mockResolvedValue([dataset({ name: XSS })]);
    const { container } = render(App);
    await screen.findByText(XSS);
    expect(screen.getByTestId('dropzone').classList.contains('compact')).toBe(true);

    emit('files:dropped', { paths: ['/home/me/birds.csv'] });
    const name = (await screen.findByLabelText('Name')) as HTMLInputElement;
    expect(name.value).toBe('birds.csv');
    await fireEvent.input(screen.getByLabelText('Price'), { target: { value: '0.5' } });
    goApp.Publish.mockResolvedValue('job-1');
    await fireEvent.click(screen.getByRole('button', { name: 'Encrypt and publish' }));
    expect(goApp.Publish).toHaveBeenCalledWith('/home/me/birds.csv', 'birds.csv', '0.5', false, '');
    await waitFor(() => expect(screen.queryByLabelText('Name')).toBeNull());

    emit('job:progress', { jobId: 'job-1', kind: 'publish', name: 'birds.csv', stage: 'encrypt', done: 500, total: 1000 });
    expect((await screen.findByTestId('stage')).textContent).toBe('Encrypting and adding to IPFS');

    emit('approval:request', approvalRequest({ dataset: 'birds.csv' }));
    const dialog = await screen.findByRole('alertdialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(goApp.AnswerApproval).toHaveBeenCalledWith('approval-1', true);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());

    emit('job:done', { jobId: 'job-1', kind: 'publish', name: 'birds.csv', dataset: dataset({ name: 'birds.csv' }) });
    expect(await screen.findByText('Published “birds.csv”')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('copies a content ID through the runtime clipboard', async () => {
    goApp.State.mockResolvedValue({ state: 'ready', message: '' });
    goApp.ListDatasets.mockResolvedValue([dataset()]);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Copy content ID of report.csv' }));
    expect(runtime.ClipboardSetText).toHaveBeenCalledWith(dataset().payloadCid);
    expect(await screen.findByText('Content ID copied')).toBeTruthy();
  });

  it('says why it could not start, and retries', async () => {
    goApp.State.mockResolvedValue({ state: 'error', message: 'start the local chain: no space left on device' });
    render(App);
    expect((await screen.findByTestId('start-error')).textContent).toBe('start the local chain: no space left on device');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(goApp.Retry).toHaveBeenCalled();
  });
});
