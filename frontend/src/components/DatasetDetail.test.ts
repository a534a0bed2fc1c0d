import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Detail } from '../lib/sharing';
import { dataset, XSS } from '../test/fixtures';
import DatasetDetail from './DatasetDetail.svelte';

const B = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
const LINK = '0x9999999999999999999999999999999999999999';
const URL = 'datashare://1337/0x2222222222222222222222222222222222222222/1#secret';

function detail(over: Partial<Detail> = {}): Detail {
  return {
    dataset: dataset({ id: 1, name: 'report.csv', version: 2 }),
    access: {
      dataset: 1, owner: '0x1111111111111111111111111111111111111111', version: 2,
      grantees: [
        { account: B, version: 1, current: false, since: '2026-01-02T00:00:00Z' },
        { account: LINK, version: 2, current: true, since: '2026-01-03T00:00:00Z', link: 'share link "for Sam"' },
      ],
      requests: [],
      revoked: [],
    },
    links: [{ dataset: 1, url: URL, account: LINK, label: 'for Sam', version: 2, current: true, revoked: false, createdAt: '2026-01-03T00:00:00Z' }],
    history: [
      { kind: 'published', dataset: 1, version: 1, owner: '0x11', block: 3, time: '2026-01-01T00:00:00Z', txHash: '0xa' },
      { kind: 'granted', dataset: 1, version: 1, owner: '0x11', account: B, block: 4, time: '2026-01-02T00:00:00Z', txHash: '0xb' },
      { kind: 'updated', dataset: 1, version: 2, owner: '0x11', block: 5, time: '2026-01-03T00:00:00Z', txHash: '0xc', txUrl: 'https://sepolia.etherscan.io/tx/0xc' },
    ],
    loading: false, error: '', busy: '', shareError: '', linkError: '', newLink: null, revoked: null, dropped: '',
    ...over,
  };
}

function setup(d: Detail) {
  const props = {
    detail: d,
    oncheck: vi.fn(), onshare: vi.fn(async () => true), onrevoke: vi.fn(), onlink: vi.fn(), onshowlink: vi.fn(),
    onupdate: vi.fn(), onchooseupdate: vi.fn(), ondropcancel: vi.fn(), oncopy: vi.fn(), onopen: vi.fn(), onclose: vi.fn(),
  };
  render(DatasetDetail, { props });
  return props;
}

describe('DatasetDetail', () => {
  it('shows who holds which version, the links and the history as a timeline', () => {
    const p = setup(detail());
    const people = within(screen.getByTestId('grantees'));
    expect(people.getByText(B)).toBeTruthy();
    expect(people.getByText('holds version 1')).toBeTruthy(); // B has not got version 2 yet
    expect(people.getByText('share link "for Sam"')).toBeTruthy();
    expect(people.getByText('has version 2')).toBeTruthy();
    const items = within(screen.getByTestId('history')).getAllByRole('listitem').map((li) => li.querySelector('.what')!.textContent);
    expect(items).toEqual(['Published (version 1)', `${B} received version 1`, 'New version 2']);
    // An explorer link opens in the system browser.
    const tx = within(screen.getByTestId('history')).getByRole('link', { name: 'transaction' });
    return fireEvent.click(tx).then(() => expect(p.onopen).toHaveBeenCalledWith('https://sepolia.etherscan.io/tx/0xc'));
  });

  it('asks before revoking, saying honestly what revoking cannot do, then revokes', async () => {
    const p = setup(detail());
    await fireEvent.click(screen.getByRole('button', { name: `Revoke ${B}` }));
    const dlg = screen.getByRole('alertdialog');
    expect(dlg.textContent).toContain('What was already delivered cannot be taken back');
    expect(dlg.textContent).toContain('publish a new version after revoking');
    await fireEvent.click(within(dlg).getByRole('button', { name: 'Revoke' }));
    expect(p.onrevoke).toHaveBeenCalledWith(B, undefined);
  });

  it('revokes a link by its URL', async () => {
    const p = setup(detail());
    await fireEvent.click(within(screen.getByTestId('links')).getByRole('button', { name: 'Revoke for Sam' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Revoke' }));
    expect(p.onrevoke).toHaveBeenCalledWith(LINK, URL);
  });

  it('after a revoke, shows the backend note and offers to rotate the key', async () => {
    const note = `${B} gets no later version of dataset 1. What was already delivered cannot be taken back.`;
    const p = setup(detail({ revoked: { dataset: 1, grantee: B, refunded: '0', txHash: '0xd', note } }));
    const box = screen.getByTestId('revoke-note');
    expect(box.textContent).toContain(note);
    await fireEvent.click(within(box).getByRole('button', { name: 'Publish a new version now…' }));
    expect(p.onchooseupdate).toHaveBeenCalled();
  });

  it('offers a dropped file as the next version', async () => {
    const p = setup(detail({ dropped: '/home/me/report-v3.csv' }));
    const ask = screen.getByRole('alertdialog');
    expect(ask.textContent).toContain('Publish “report-v3.csv” as version 3 of report.csv?');
    await fireEvent.click(within(ask).getByRole('button', { name: 'Publish new version' }));
    expect(p.onupdate).toHaveBeenCalledWith('/home/me/report-v3.csv');
  });

  it('makes a link with its label, and shows a new link with its QR code and a copy button', async () => {
    const p = setup(detail({ newLink: { url: URL, qr: 'data:image/png;base64,AAAA' } }));
    const box = within(screen.getByTestId('new-link'));
    expect(box.getByRole('img', { name: 'QR code of the share link' }).getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect((box.getByLabelText('Link') as HTMLInputElement).value).toBe(URL);
    await fireEvent.click(box.getByRole('button', { name: 'Copy link' }));
    expect(p.oncopy).toHaveBeenCalledWith(URL, 'Share link');
    const label = screen.getByLabelText('Name of the new link (optional)') as HTMLInputElement;
    label.value = 'for Ana';
    await fireEvent.input(label);
    await fireEvent.click(screen.getByRole('button', { name: 'Make a link' }));
    expect(p.onlink).toHaveBeenCalledWith('for Ana');
  });

  it('renders names from strangers as text', () => {
    setup(detail({ dataset: dataset({ name: XSS }) }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(XSS);
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });
});
