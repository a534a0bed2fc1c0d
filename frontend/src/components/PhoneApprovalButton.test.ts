import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { computerWallet, phoneWallet, XSS } from '../test/fixtures';
import PhoneApprovalButton from './PhoneApprovalButton.svelte';

const mode = () => screen.getByTestId('approval-mode').textContent?.replace(/\s+/g, ' ').trim();

describe('PhoneApprovalButton', () => {
  it('says transactions are approved on this computer, before and without a phone', () => {
    const { rerender } = render(PhoneApprovalButton, { props: { status: null, onopen: vi.fn() } });
    expect(mode()).toBe('Approve on this computer');
    rerender({ status: computerWallet() });
    expect(mode()).toBe('Approve on this computer');
    expect(screen.getByRole('button', { name: 'Phone approval: Approve on this computer' })).toBeTruthy();
  });

  it('names the phone wallet and its shortened account', () => {
    render(PhoneApprovalButton, { props: { status: phoneWallet(), onopen: vi.fn() } });
    expect(mode()).toBe('Rainbow · 0x9965…A4dc');
    expect(screen.getByRole('button').getAttribute('aria-label')).toBe('Phone approval: Rainbow · 0x9965…A4dc');
  });

  it('marks a connected phone that cannot be reached, and says why', () => {
    const { container } = render(PhoneApprovalButton, {
      props: { status: phoneWallet({ unavailable: 'phone approval is unavailable: the relay cannot be reached' }), onopen: vi.fn() },
    });
    expect(container.querySelector('.dot.warn')).not.toBeNull();
    expect(screen.getByRole('button').getAttribute('aria-label')).toBe(
      'Phone approval: Rainbow · 0x9965…A4dc. phone approval is unavailable: the relay cannot be reached',
    );
  });

  it('keeps the account in view when the wallet name is long', () => {
    render(PhoneApprovalButton, { props: { status: phoneWallet({ walletName: 'Test Wallet (WalletConnect SDK) with a long name' }), onopen: vi.fn() } });
    expect(screen.getByText('0x9965…A4dc').classList.contains('account')).toBe(true);
    expect(mode()).toBe('Test Wallet (WalletConnect SDK)… · 0x9965…A4dc');
  });

  it('shows a wallet name as text, never as HTML', () => {
    const { container } = render(PhoneApprovalButton, { props: { status: phoneWallet({ walletName: XSS }), onopen: vi.fn() } });
    expect(container.querySelector('img')).toBeNull();
    expect(mode()).toContain('<img src=x');
  });

  it('opens Settings', async () => {
    const onopen = vi.fn();
    render(PhoneApprovalButton, { props: { status: null, onopen } });
    await fireEvent.click(screen.getByRole('button'));
    expect(onopen).toHaveBeenCalled();
  });
});
