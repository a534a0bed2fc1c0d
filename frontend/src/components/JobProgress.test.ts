import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../lib/stores';
import { XSS } from '../test/fixtures';
import JobProgress from './JobProgress.svelte';

function job(over: Partial<Job> = {}): Job {
  return { jobId: 'job-1', kind: 'publish', name: 'report.csv', stage: 'encrypt', done: 1_500_000, total: 3_000_000, state: 'running', message: '', ...over };
}

function setup(j: Job) {
  const oncancel = vi.fn();
  const ondismiss = vi.fn();
  const r = render(JobProgress, { props: { job: j, oncancel, ondismiss } });
  return { ...r, oncancel, ondismiss };
}

describe('JobProgress', () => {
  it('shows the stage, a bar and the bytes', () => {
    setup(job());
    expect(screen.getByTestId('stage').textContent).toBe('Encrypting and adding to IPFS');
    expect(screen.getByTestId('bytes').textContent).toBe('1.5 MB of 3 MB');
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('50%');
  });

  it('shows an indeterminate bar when the total is unknown', () => {
    setup(job({ stage: 'download', kind: 'fetch', done: 2048, total: -1 }));
    const bar = screen.getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.firstElementChild!.classList.contains('indeterminate')).toBe(true);
    expect(screen.getByTestId('bytes').textContent).toBe('2 kB');
    expect(screen.getByRole('article').getAttribute('aria-label')).toBe('Downloading report.csv');
  });

  it('points to the approval while waiting for it', () => {
    setup(job({ stage: 'approve', done: 0, total: -1 }));
    expect(screen.getByTestId('stage').textContent).toBe('Waiting for your approval');
    expect(screen.getByText('Check the approval window.')).toBeTruthy();
  });

  it('cancels a running job', async () => {
    const { oncancel } = setup(job());
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(oncancel).toHaveBeenCalledWith('job-1');
  });

  it('shows why a job failed, as text, and can be dismissed', async () => {
    const { ondismiss, container } = setup(job({ state: 'error', message: `${XSS}: no such file`, name: XSS }));
    expect(screen.getByRole('alert').textContent).toBe(`${XSS}: no such file`);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(ondismiss).toHaveBeenCalledWith('job-1');
  });

  it('fills the bar when done', () => {
    setup(job({ state: 'done', stage: 'done' }));
    expect(screen.getByRole('article').getAttribute('aria-label')).toBe('Published report.csv');
    expect(screen.getByTestId('stage').textContent).toBe('Encrypted, stored on IPFS and registered on the chain');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});
