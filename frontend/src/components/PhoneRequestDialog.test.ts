import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { phoneRequest, XSS } from '../test/fixtures';
import PhoneRequestDialog from './PhoneRequestDialog.svelte';

const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim();

describe('PhoneRequestDialog', () => {
  it('says to check the phone, with the action, dataset and fee', () => {
    render(PhoneRequestDialog, { props: { request: phoneRequest(), walletName: 'Rainbow', oncancel: vi.fn() } });
    expect(screen.getByRole('dialog', { name: 'Check your phone' })).toBeTruthy();
    expect(text('phone-desc')).toBe('Approve this transaction in Rainbow. Nothing is sent until you approve it there.');
    expect(text('action')).toBe('Publish dataset');
    expect(text('dataset')).toBe('report.csv');
    expect(text('fee')).toBe('at most 0.000061 ETH');
    expect(text('account')).toBe('0x71C7656EC7ab88b098defB751B7401B5f6d8976F');
    expect(screen.queryByTestId('price')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('shows a payment when there is one, and a stand-in for a missing wallet name', () => {
    render(PhoneRequestDialog, { props: { request: phoneRequest({ price: '10000000000000000' }), oncancel: vi.fn() } });
    expect(text('price')).toBe('0.01 ETH');
    expect(text('phone-desc')).toContain('Approve this transaction in your wallet app.');
  });

  it('cancels the job that waits', async () => {
    const oncancel = vi.fn();
    render(PhoneRequestDialog, { props: { request: phoneRequest({}, 'phone-3', 'job-7'), oncancel } });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(oncancel).toHaveBeenCalledWith('job-7');
  });

  it('never renders names from strangers as HTML, and counts the queue', () => {
    const { container } = render(PhoneRequestDialog, {
      props: { request: phoneRequest({ dataset: XSS }), walletName: XSS, queued: 1, oncancel: vi.fn() },
    });
    expect(container.querySelector('img')).toBeNull();
    expect(text('dataset')).toBe(XSS);
    expect(screen.getByText('1 more waiting')).toBeTruthy();
  });
});
