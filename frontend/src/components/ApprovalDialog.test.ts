import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { approvalRequest, XSS } from '../test/fixtures';
import ApprovalDialog from './ApprovalDialog.svelte';

function setup(summary = {}, queued = 0) {
  const onanswer = vi.fn();
  const r = render(ApprovalDialog, { props: { request: approvalRequest(summary), queued, onanswer } });
  const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim();
  return { ...r, onanswer, text };
}

describe('ApprovalDialog', () => {
  it('shows what is approved and what it costs', () => {
    const { text } = setup();
    expect(screen.getByRole('alertdialog', { name: 'Approve on this computer' })).toBeTruthy();
    expect(text('action')).toBe('Publish dataset');
    expect(text('dataset')).toBe('report.csv');
    expect(text('price')).toBe('None');
    expect(text('fee')).toBe('at most 0.000061 ETH (61,000 gas)');
    expect(text('account')).toBe('0x71C7656EC7ab88b098defB751B7401B5f6d8976F');
    expect(text('network')).toBe('Local (this computer)');
    expect(text('balance')).toBe('10 ETH');
    expect(screen.queryByText(/may not cover/)).toBeNull();
  });

  it('shows what a publish sets up, as text', () => {
    const { text } = setup({ note: '2048 bytes, private; access 0.01 ETH per access <b>x</b>' });
    expect(text('note')).toBe('2048 bytes, private; access 0.01 ETH per access <b>x</b>');
    expect(screen.getByTestId('note').querySelector('b')).toBeNull();
  });

  it('has no details row without a note', () => {
    setup();
    expect(screen.queryByTestId('note')).toBeNull();
  });

  it('formats wei exactly, down to one wei', () => {
    const { text } = setup({ price: '1', fee: '1', balance: '123456789012345678901234567890' });
    expect(text('price')).toBe('0.000000000000000001 ETH');
    expect(text('fee')).toContain('at most 0.00000001 ETH'); // an upper bound rounds up
    expect(screen.getByTestId('fee').querySelector('[title]')?.getAttribute('title')).toBe('0.000000000000000001 ETH');
    expect(text('balance')).toBe('123,456,789,012.3456 ETH');
  });

  it('shows large payments in full', () => {
    const { text } = setup({ price: '123456789012345678901234567890', balance: '0' });
    expect(text('price')).toBe('123,456,789,012.34567890123456789 ETH');
    expect(screen.getByRole('alert').textContent).toMatch(/balance may not cover this/);
  });

  it('approves and rejects by button', async () => {
    const { onanswer } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(onanswer).toHaveBeenLastCalledWith('approval-1', true);
    await fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(onanswer).toHaveBeenLastCalledWith('approval-1', false);
  });

  it('is keyboard accessible: focused on open, Escape rejects, Tab stays inside', async () => {
    const { onanswer } = setup();
    const dialog = screen.getByRole('alertdialog');
    await Promise.resolve();
    expect(document.activeElement).toBe(dialog);
    const reject = screen.getByRole('button', { name: 'Reject' });
    const approve = screen.getByRole('button', { name: 'Approve' });
    approve.focus();
    await fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(reject);
    await fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(approve);
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onanswer).toHaveBeenCalledWith('approval-1', false);
    expect(onanswer).not.toHaveBeenCalledWith('approval-1', true);
  });

  it('never renders a dataset name as HTML', () => {
    const { container, text } = setup({ dataset: XSS, action: '<b>Publish</b>' });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(text('dataset')).toBe(XSS);
  });

  it('says how many more are waiting', () => {
    setup({}, 2);
    expect(screen.getByText('2 more waiting')).toBeTruthy();
  });
});
