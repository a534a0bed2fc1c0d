// Unfinished publishes in the window: resume, and discard after asking.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../wailsjs/go/app/App', () => import('./test/wails').then((m) => m.goApp));
vi.mock('../wailsjs/runtime/runtime', () => import('./test/wails').then((m) => m.runtime));

import App from './App.svelte';
import { resetStores } from './lib/stores';
import { dataset } from './test/fixtures';
import { emit, goApp, goError } from './test/wails';

const interrupted = dataset({ id: 0, jobId: 'job-7f3a', name: 'birds.csv', status: 'interrupted', stage: 'metadata', txHash: '' });

beforeEach(() => {
  resetStores();
  goApp.State.mockResolvedValue({ state: 'ready', message: '' });
});

// The dataset list's row of name (a job card may show the name too).
const row = async (name: string) => {
  const rows = await screen.findAllByTestId('dataset-row');
  const r = rows.find((el) => within(el).queryByText(name));
  if (!r) throw new Error(`no row for ${name}`);
  return within(r);
};

describe('unfinished publishes in the window', () => {
  it('resumes one, with progress, and lists it as published', async () => {
    goApp.ListDatasets.mockResolvedValue([interrupted]);
    render(App);
    const r = await row('birds.csv');
    expect(r.getByText('Interrupted — resume or discard')).toBeTruthy();
    goApp.ResumeJob.mockResolvedValue('job-3');
    goApp.ListDatasets.mockResolvedValue([{ ...interrupted, status: 'publishing' }]);
    await fireEvent.click(r.getByRole('button', { name: 'Resume publishing birds.csv' }));
    expect(goApp.ResumeJob).toHaveBeenCalledWith('job-7f3a', 'birds.csv');
    await waitFor(async () => expect((await row('birds.csv')).getByTestId('status').textContent).toBe('publishing'));

    emit('job:progress', { jobId: 'job-3', kind: 'publish', name: 'birds.csv', stage: 'confirm', done: 0, total: -1 });
    expect(await screen.findByRole('article', { name: /birds\.csv/ })).toBeTruthy();
    goApp.ListDatasets.mockResolvedValue([dataset({ name: 'birds.csv', id: 5 })]);
    emit('job:done', { jobId: 'job-3', kind: 'publish', name: 'birds.csv', dataset: dataset({ name: 'birds.csv', id: 5 }) });
    expect(await screen.findByText('Published “birds.csv”')).toBeTruthy();
    await waitFor(async () => expect((await row('birds.csv')).getByTestId('status').textContent).toBe('published'));
  });

  it('discards one only after asking, saying what is removed', async () => {
    goApp.ListDatasets.mockResolvedValue([interrupted]);
    render(App);
    await fireEvent.click((await row('birds.csv')).getByRole('button', { name: 'Discard the publish of birds.csv' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Discard this publish?' });
    expect(within(ask).getByText('Discard the publish of birds.csv? The encrypted copy it added to IPFS is removed.')).toBeTruthy();
    await fireEvent.click(within(ask).getByRole('button', { name: 'Keep it' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(goApp.DiscardJob).not.toHaveBeenCalled();

    await fireEvent.click((await row('birds.csv')).getByRole('button', { name: 'Discard the publish of birds.csv' }));
    goApp.DiscardJob.mockResolvedValue(undefined);
    goApp.ListDatasets.mockResolvedValue([]);
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard' }));
    expect(goApp.DiscardJob).toHaveBeenCalledWith('job-7f3a');
    expect(await screen.findByText('Discarded “birds.csv”')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('dataset-row')).toBeNull());
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('keeps one that may be on chain, and says to resume it', async () => {
    goApp.ListDatasets.mockResolvedValue([{ ...interrupted, stage: 'signed' }]);
    render(App);
    await fireEvent.click((await row('birds.csv')).getByRole('button', { name: 'Discard the publish of birds.csv' }));
    goApp.DiscardJob.mockRejectedValue(goError('on_chain', 'the transaction may be on chain: finish it with datashare jobs resume job-7f3a'));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('“birds.csv” is kept')).toBeTruthy();
    expect(screen.getByText(/Choose Resume to finish it\./)).toBeTruthy();
    expect(screen.queryByText(/datashare jobs resume/)).toBeNull();
    expect((await row('birds.csv')).getByRole('button', { name: 'Resume publishing birds.csv' })).toBeTruthy();
  });

  it('says why one could not be discarded', async () => {
    goApp.ListDatasets.mockResolvedValue([interrupted]);
    render(App);
    await fireEvent.click((await row('birds.csv')).getByRole('button', { name: 'Discard the publish of birds.csv' }));
    goApp.DiscardJob.mockRejectedValue(goError('unavailable', 'unpin what the publish of birds.csv added: ipfs daemon unavailable'));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('“birds.csv” could not be discarded')).toBeTruthy();
    expect(screen.getByText('unpin what the publish of birds.csv added: ipfs daemon unavailable')).toBeTruthy();
  });
});
