// Sharing in the window, against mocked bindings: first-run key registration, the two views,
// a dataset's panel, and a dropped file becoming a new version.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../wailsjs/go/app/App', () => import('./test/wails').then((m) => m.goApp));
vi.mock('../wailsjs/runtime/runtime', () => import('./test/wails').then((m) => m.runtime));

import App from './App.svelte';
import { resetStores } from './lib/stores';
import { dataset } from './test/fixtures';
import { emit, goApp, goError } from './test/wails';

const mine = dataset({ id: 3, name: 'survey.csv' });

beforeEach(() => {
  resetStores();
  goApp.State.mockResolvedValue({ state: 'ready', message: '' });
  goApp.ListDatasets.mockResolvedValue([mine]);
  goApp.Access.mockResolvedValue({ dataset: 3, owner: mine.owner, version: 1, grantees: [], requests: [], revoked: [] });
});

describe('sharing in the window', () => {
  it('offers to register the key on first run, and hides the offer once it is registered', async () => {
    goApp.KeyStatus.mockResolvedValue({ account: '0x1', registered: false, matches: false, publicKey: '0x2' });
    goApp.RegisterKey.mockResolvedValue({ account: '0x1', registered: true, matches: true, publicKey: '0x2' });
    render(App);
    const banner = await screen.findByTestId('key-banner');
    expect(banner.textContent).toMatch(/Register your encryption key once: others can then encrypt datasets for you/);
    await fireEvent.click(within(banner).getByRole('button', { name: 'Register my key' }));
    expect(goApp.RegisterKey).toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('key-banner')).toBeNull());
  });

  it('a rejected registration keeps the offer and says nothing alarming', async () => {
    goApp.KeyStatus.mockResolvedValue({ account: '0x1', registered: false, matches: false, publicKey: '0x2' });
    goApp.RegisterKey.mockRejectedValue(goError('rejected', 'You rejected the transaction, so nothing was written to the chain.'));
    render(App);
    await fireEvent.click(within(await screen.findByTestId('key-banner')).getByRole('button', { name: 'Register my key' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Register my key' }) as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('switches between My datasets and Shared with me, with the arrow keys too', async () => {
    goApp.Shared.mockResolvedValue([dataset({ id: 9, name: 'from-ana.csv', status: 'shared', owner: '0x3333333333333333333333333333333333333333' })]);
    render(App);
    const tabMine = await screen.findByRole('tab', { name: /My datasets/ });
    expect(tabMine.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(tabMine, { key: 'ArrowRight' });
    const tabShared = screen.getByRole('tab', { name: /Shared with me/ });
    expect(tabShared.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabShared);
    expect((await screen.findByTestId('shared-row')).textContent).toContain('from-ana.csv');
    expect(screen.queryByTestId('dataset-row')).toBeNull();
  });

  it('opens a dataset panel from its row and shares through the backend', async () => {
    const B = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
    goApp.CheckAddress.mockResolvedValue({ account: B, registered: true });
    goApp.Share.mockResolvedValue({ dataset: 3, name: 'survey.csv', version: 1, grantees: [B], txHashes: ['0xa'] });
    render(App);
    const row = within((await screen.findAllByTestId('dataset-row'))[0]);
    await fireEvent.click(row.getByRole('button', { name: 'Share and manage survey.csv' }));
    const panel = within(await screen.findByTestId('dataset-detail'));
    expect(goApp.Access).toHaveBeenCalledWith(3);
    expect(goApp.Links).toHaveBeenCalledWith(3);
    expect(goApp.History).toHaveBeenCalledWith(3);
    const input = panel.getByLabelText('Account address') as HTMLInputElement;
    input.value = B.toLowerCase();
    await fireEvent.input(input);
    await waitFor(() => expect(panel.getByTestId('address-check').textContent).toMatch(/can receive it/));
    await fireEvent.keyDown(input, { key: 'Enter' });
    goApp.Access.mockResolvedValue({ dataset: 3, owner: mine.owner, version: 1, grantees: [{ account: B, version: 1, current: true, since: '' }], requests: [], revoked: [] });
    await fireEvent.click(panel.getByRole('button', { name: 'Share' }));
    expect(goApp.Share).toHaveBeenCalledWith(3, [B]);
    await waitFor(() => expect(panel.getByTestId('grantees').textContent).toContain(B));
  });

  it('a file dropped while a panel is open becomes its next version, as a job', async () => {
    goApp.Update.mockResolvedValue('job-5');
    render(App);
    const row = within((await screen.findAllByTestId('dataset-row'))[0]);
    await fireEvent.click(row.getByRole('button', { name: 'Share and manage survey.csv' }));
    await screen.findByTestId('dataset-detail');
    emit('files:dropped', { paths: ['/data/survey-v2.csv'] });
    await fireEvent.click(await screen.findByRole('button', { name: 'Publish new version' }));
    expect(goApp.Update).toHaveBeenCalledWith(3, '/data/survey-v2.csv', 'survey.csv');
    emit('job:progress', { jobId: 'job-5', kind: 'update', name: 'survey.csv', stage: 'encrypt', done: 5, total: 10 });
    expect((await screen.findByRole('region', { name: 'Running jobs' })).textContent).toContain('New version of');
    emit('job:done', { jobId: 'job-5', kind: 'update', name: 'survey.csv', dataset: { ...mine, version: 2 } });
    await screen.findByText('New version of “survey.csv”');
    // No publish form opened for the dropped file.
    expect(screen.queryByLabelText('Name')).toBeNull();
  });
});
