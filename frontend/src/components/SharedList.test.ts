import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { dataset } from '../test/fixtures';
import SharedList from './SharedList.svelte';

describe('SharedList', () => {
  it('lists what was shared with its owner and version, and downloads it', async () => {
    const d = dataset({ id: 4, name: 'birds.csv', version: 2, status: 'shared', owner: '0x1111111111111111111111111111111111111111' });
    const ondownload = vi.fn();
    render(SharedList, { props: { datasets: [d], loaded: true, ondownload, onopenlink: vi.fn() } });
    const row = within(screen.getByTestId('shared-row'));
    expect(row.getByText('0x1111…1111')).toBeTruthy();
    expect(row.getAllByRole('cell')[2].textContent).toBe('2');
    await fireEvent.click(row.getByRole('button', { name: 'Download birds.csv' }));
    expect(ondownload).toHaveBeenCalledWith(d);
  });

  it('says when nothing was shared yet', () => {
    render(SharedList, { props: { datasets: [], loaded: true, ondownload: vi.fn(), onopenlink: vi.fn() } });
    expect(screen.getByText(/Nothing has been shared with you yet/)).toBeTruthy();
  });

  it('opens a pasted link and shows the backend’s message when it cannot', async () => {
    const onopenlink = vi.fn(async () => 'this is not a DataShare link: it must start with datashare:');
    render(SharedList, { props: { datasets: [], loaded: true, ondownload: vi.fn(), onopenlink } });
    const input = screen.getByRole('textbox', { name: 'Share link' }) as HTMLInputElement;
    input.value = 'https://example.invalid/x';
    await fireEvent.input(input);
    await fireEvent.submit(input.form!);
    expect(onopenlink).toHaveBeenCalledWith('https://example.invalid/x');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/not a DataShare link/));
    expect(input.value).toBe('https://example.invalid/x'); // kept, to correct it
  });
});
