import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import StartupView from './StartupView.svelte';

describe('StartupView', () => {
  it('says it is starting', () => {
    render(StartupView, { props: { state: { state: 'starting', message: '' }, onretry: vi.fn() } });
    expect(screen.getByRole('heading').textContent).toBe('Starting…');
  });

  it('says why it could not start and offers to try again', async () => {
    const onretry = vi.fn();
    render(StartupView, { props: { state: { state: 'error', message: 'start IPFS: the repository is locked by another process' }, onretry } });
    expect(screen.getByTestId('start-error').textContent).toBe('start IPFS: the repository is locked by another process');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onretry).toHaveBeenCalledOnce();
  });
});
