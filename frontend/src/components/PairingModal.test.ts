import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pairing, PNG, URI } from '../test/fixtures';
import PairingModal from './PairingModal.svelte';

function setup(props: Record<string, unknown> = {}) {
  const handlers = { oncancel: vi.fn(), oncopy: vi.fn(async () => true), onexpired: vi.fn(), onretry: vi.fn(), onsettings: vi.fn() };
  const r = render(PairingModal, { props: { code: pairing(), ...handlers, ...props } });
  const countdown = () => screen.getByTestId('countdown').textContent?.replace(/\s+/g, ' ').trim();
  return { ...r, ...handlers, countdown };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PairingModal', () => {
  it('shows the QR code, the link for desktop wallets and when the code expires', () => {
    const { countdown } = setup({ code: pairing(272) });
    expect(screen.getByRole('dialog', { name: 'Pair a phone wallet' })).toBeTruthy();
    const img = screen.getByRole('img', { name: 'QR code to scan with your phone wallet' }) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe(PNG);
    expect((screen.getByLabelText(/Wallet on this computer/) as HTMLInputElement).value).toBe(URI);
    expect(countdown()).toBe('Expires in 4:32');
  });

  it('counts down every second', async () => {
    vi.useFakeTimers();
    const { countdown } = setup({ code: pairing(62) });
    expect(countdown()).toBe('Expires in 1:02');
    await vi.advanceTimersByTimeAsync(1000);
    expect(countdown()).toBe('Expires in 1:01');
    await vi.advanceTimersByTimeAsync(2000);
    expect(countdown()).toBe('Expires in 0:59');
  });

  it('asks for a new code once when the countdown ends, and hides the old one', async () => {
    vi.useFakeTimers();
    const code = pairing(2);
    const { onexpired, countdown } = setup({ code });
    await vi.advanceTimersByTimeAsync(2000);
    expect(onexpired).toHaveBeenCalledTimes(1);
    expect(onexpired).toHaveBeenCalledWith(code);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('The code expired. Making a new one…')).toBeTruthy();
    expect(countdown()).toBe('');
    expect((screen.getByRole('button', { name: 'Copy link' }) as HTMLButtonElement).disabled).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onexpired).toHaveBeenCalledTimes(1);
  });

  it('shows the new code with a note', async () => {
    const { rerender } = setup({ code: null, busy: true });
    expect(screen.getByText('Making a code…')).toBeTruthy();
    rerender({ code: pairing(300), busy: false, note: 'The last code expired, so here is a new one.' });
    expect(screen.getByTestId('pairing-note').textContent).toBe('The last code expired, so here is a new one.');
    expect(screen.getByRole('img')).toBeTruthy();
  });

  it('copies the link, saying so in place, and cancels, by button or Escape', async () => {
    vi.useFakeTimers();
    const { oncopy, oncancel } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(oncopy).toHaveBeenCalledWith(URI);
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy();
    await vi.advanceTimersByTimeAsync(2500);
    expect(screen.getByRole('button', { name: 'Copy link' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(oncancel).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledTimes(2);
  });

  it('says why there is no code, that this computer still approves, and tries again', async () => {
    const why =
      'Phone approval is unavailable: the WalletConnect relay cannot be used: dial tcp 127.0.0.1:9: connection refused. Transactions are still approved on this computer.';
    const { onretry, oncancel } = setup({ code: null, error: why });
    expect(screen.getByRole('alert').textContent).toBe(why);
    expect(screen.queryByRole('img')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onretry).toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(oncancel).toHaveBeenCalled();
  });

  it('offers the settings only when the relay cannot be used', async () => {
    const { onsettings, rerender } = setup({ code: null, error: 'The wallet declined the connection.', errorCode: 'rejected' });
    expect(screen.queryByRole('button', { name: 'Open settings' })).toBeNull();
    await rerender({ error: 'Phone approval is unavailable: the relay did not answer.', errorCode: 'relay_unavailable' });
    await fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    expect(onsettings).toHaveBeenCalledTimes(1);
  });

  it('says when the link could not be copied', async () => {
    setup({ oncopy: vi.fn(async () => false) });
    await fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be copied: select it/);
  });

  it('shows only PNG data URLs as the code', () => {
    setup({ code: pairing(300, { qr: 'https://evil.example/qr.png' }) });
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText(/copy the link below instead/)).toBeTruthy();
  });
});
