import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../lib/types';
import { dataset, XSS } from '../test/fixtures';
import DatasetList from './DatasetList.svelte';

function setup(datasets: Dataset[]) {
  const ondownload = vi.fn();
  const oncopy = vi.fn();
  const onopen = vi.fn();
  const onresume = vi.fn();
  const ondiscard = vi.fn();
  const r = render(DatasetList, { props: { datasets, ondownload, onresume, ondiscard, oncopy, onopen } });
  const rows = screen.getAllByTestId('dataset-row');
  return { ...r, rows, ondownload, onresume, ondiscard, oncopy, onopen };
}

describe('DatasetList', () => {
  it('shows each dataset for people', () => {
    const { rows } = setup([
      dataset(),
      dataset({ id: 2, name: 'paid.bin', size: 999, price: '50000000000000000', public: true, mediaType: 'application/octet-stream; x=1' }),
    ]);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByText('report.csv')).toBeTruthy();
    expect(first.getByText('1.5 MB')).toBeTruthy();
    expect(first.getByText('Free')).toBeTruthy();
    expect(first.getByText('Private · text/csv · #1')).toBeTruthy();
    expect(first.getByText('bafybeig…5fbzdi').getAttribute('title')).toBe(dataset().payloadCid);
    const second = within(rows[1]);
    expect(second.getByText('999 B')).toBeTruthy();
    expect(second.getByText('0.05 ETH')).toBeTruthy();
    expect(second.getByText('Public · application/octet-stream · #2')).toBeTruthy();
  });

  it('badges the status', () => {
    const { rows } = setup([
      dataset(),
      dataset({ id: 0, jobId: 'j1', status: 'publishing', txHash: '' }),
      dataset({ id: 0, jobId: 'j2', status: 'failed', error: 'rejected by the account holder', txHash: '' }),
    ]);
    const badges = rows.map((r) => within(r).getByTestId('status'));
    expect(badges.map((b) => b.textContent)).toEqual(['published', 'publishing', 'failed']);
    expect(badges.map((b) => b.className.match(/\b(ok|busy|bad)\b/)![1])).toEqual(['ok', 'busy', 'bad']);
    expect(within(rows[2]).getByText('rejected by the account holder')).toBeTruthy();
  });

  it('says an interrupted publish waits to be resumed or discarded, and offers both', async () => {
    const d = dataset({ id: 0, jobId: 'job-a1', status: 'interrupted', stage: 'metadata', txHash: '' });
    const { rows, onresume, ondiscard } = setup([d]);
    const row = within(rows[0]);
    expect(row.getByTestId('status').textContent).toBe('interrupted');
    expect(row.getByTestId('row-note').textContent).toBe('Interrupted — resume or discard');
    expect(row.queryByRole('button', { name: /Download/ })).toBeNull();
    await fireEvent.click(row.getByRole('button', { name: 'Resume publishing report.csv' }));
    expect(onresume).toHaveBeenCalledWith(d);
    await fireEvent.click(row.getByRole('button', { name: 'Discard the publish of report.csv' }));
    expect(ondiscard).toHaveBeenCalledWith(d);
  });

  it('shows why a publish failed, with the same two actions', async () => {
    const d = dataset({ id: 0, jobId: 'job-b2', status: 'failed', error: 'You rejected the transaction, so nothing was written to the chain.', txHash: '' });
    const { rows, onresume, ondiscard } = setup([d]);
    const row = within(rows[0]);
    expect(row.getByTestId('row-error').textContent).toBe('You rejected the transaction, so nothing was written to the chain.');
    expect(row.queryByTestId('row-note')).toBeNull();
    await fireEvent.click(row.getByRole('button', { name: 'Resume publishing report.csv' }));
    await fireEvent.click(row.getByRole('button', { name: 'Discard the publish of report.csv' }));
    expect(onresume).toHaveBeenCalledWith(d);
    expect(ondiscard).toHaveBeenCalledWith(d);
  });

  it('offers no resume or discard while a publish runs, or once it is published', () => {
    const { rows } = setup([dataset({ id: 0, jobId: 'job-c3', status: 'publishing', txHash: '' }), dataset()]);
    for (const r of rows) {
      expect(within(r).queryByRole('button', { name: /Resume|Discard/ })).toBeNull();
      expect(within(r).getByRole('button', { name: /Download/ })).toBeTruthy();
    }
  });

  it('downloads published datasets only', async () => {
    const d = dataset();
    const { rows, ondownload } = setup([d, dataset({ id: 0, jobId: 'j', status: 'publishing' })]);
    await fireEvent.click(within(rows[0]).getByRole('button', { name: 'Download report.csv' }));
    expect(ondownload).toHaveBeenCalledWith(d);
    expect((within(rows[1]).getByRole('button', { name: /Download/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('copies the content ID', async () => {
    const { oncopy } = setup([dataset()]);
    await fireEvent.click(screen.getByRole('button', { name: 'Copy content ID of report.csv' }));
    expect(oncopy).toHaveBeenCalledWith(dataset().payloadCid, 'Content ID');
  });

  it('links the transaction to the explorer when there is one', async () => {
    const url = 'https://sepolia.etherscan.io/tx/0x' + '3f'.repeat(32);
    const { rows, onopen } = setup([dataset({ txUrl: url }), dataset({ id: 2, txUrl: '' }), dataset({ id: 3, txUrl: 'javascript:alert(1)' })]);
    const link = within(rows[0]).getByRole('link');
    expect(link.getAttribute('href')).toBe(url);
    expect(link.textContent).toBe('0x3f3f…3f3f');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(onopen).toHaveBeenCalledWith(url);
    expect(within(rows[1]).queryByRole('link')).toBeNull();
    expect(within(rows[1]).getByText('0x3f3f…3f3f')).toBeTruthy();
    expect(within(rows[2]).queryByRole('link')).toBeNull();
  });

  it('never renders HTML from a dataset', () => {
    const { container } = setup([
      dataset({ name: XSS, mediaType: '<script>alert(1)</script>', error: '<b>x</b>', status: 'failed' }),
    ]);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByText(XSS)).toBeTruthy();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
