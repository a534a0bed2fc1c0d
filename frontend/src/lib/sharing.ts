// Sharing state: which view is shown, the datasets shared with this profile, the open dataset's
// detail (access, links, history) and the encryption key's registration. Every rule (addresses,
// keys, who may do what) is the backend's: these stores hold what it answered and the actions
// pass on what the user typed.
import { get, writable } from 'svelte/store';
import { api, errorMessage, toApiError } from './api';
import { datasets, pushToast, refreshDatasets } from './stores';
import type { Dataset, DatasetAccess, DatasetEvent, KeyStatus, Recipient, RevokeResult, ShareLink } from './types';

export type View = 'mine' | 'shared';

export const view = writable<View>('mine');
export const shared = writable<Dataset[]>([]);
export const sharedLoaded = writable(false);
export const keyStatus = writable<KeyStatus | null>(null);
export const keyBusy = writable(false);
/** The user closed the first-run offer to register the key (this session). */
export const keyOfferDismissed = writable(false);

/** The dataset whose detail panel is open, with what the backend said about it. */
export interface Detail {
  dataset: Dataset;
  access: DatasetAccess | null;
  links: ShareLink[];
  history: DatasetEvent[];
  loading: boolean;
  error: string;
  busy: '' | 'share' | 'link' | 'revoke';
  shareError: string;
  linkError: string;
  /** The link just made, with its QR code. */
  newLink: { url: string; qr: string } | null;
  /** The last revocation: its honest note, and the offer to rotate the key with a new version. */
  revoked: RevokeResult | null;
  /** A file dropped while the panel is open: publish it as the next version? */
  dropped: string;
}

export const detail = writable<Detail | null>(null);

function patch(id: number, p: Partial<Detail>): void {
  detail.update((d) => (d && d.dataset.id === id ? { ...d, ...p } : d));
}

export async function refreshShared(): Promise<void> {
  try {
    shared.set(await api.shared());
    sharedLoaded.set(true);
  } catch (e) {
    pushToast('error', 'The datasets shared with you could not be listed', errorMessage(e));
  }
}

export async function refreshKey(): Promise<void> {
  try {
    keyStatus.set(await api.keyStatus());
  } catch {
    // The status bar already says why the backend does not answer.
  }
}

export async function registerKey(): Promise<void> {
  keyBusy.set(true);
  try {
    keyStatus.set(await api.registerKey());
    pushToast('success', 'Encryption key registered', 'Others can now share datasets with you.');
  } catch (e) {
    const err = toApiError(e);
    if (err.code !== 'rejected' && err.code !== 'canceled') pushToast('error', 'The key was not registered', err.message);
  } finally {
    keyBusy.set(false);
  }
}

export function showView(v: View): void {
  view.set(v);
  detail.set(null);
  if (v === 'shared') void refreshShared();
}

/** Opens the detail panel of one of the user's datasets and loads what the chain says of it. */
export async function openDetail(d: Dataset): Promise<void> {
  detail.set({
    dataset: d, access: null, links: [], history: [], loading: true, error: '', busy: '', shareError: '', linkError: '',
    newLink: null, revoked: null, dropped: '',
  });
  await reloadDetail();
}

export function closeDetail(): void {
  detail.set(null);
}

export async function reloadDetail(): Promise<void> {
  const d = get(detail);
  if (!d || !d.dataset.id) return;
  const id = d.dataset.id;
  try {
    const [access, links, history] = await Promise.all([api.access(id), api.links(id), api.history(id)]);
    patch(id, { access, links, history, loading: false, error: '' });
  } catch (e) {
    patch(id, { loading: false, error: errorMessage(e) });
  }
}

/** The backend's answer about a typed address, for the share form. */
export function checkAddress(addr: string): Promise<Recipient> {
  return api.checkAddress(addr);
}

export async function shareWith(addresses: string[]): Promise<boolean> {
  const d = get(detail);
  if (!d) return false;
  const id = d.dataset.id;
  patch(id, { busy: 'share', shareError: '' });
  try {
    const r = await api.share(id, addresses);
    patch(id, { busy: '' });
    const who = r.grantees.length === 1 ? r.grantees[0] : `${r.grantees.length} accounts`;
    pushToast('success', `Shared “${d.dataset.name}”`, `${who} can now open version ${r.version}.`);
    await reloadDetail();
    return true;
  } catch (e) {
    const err = toApiError(e);
    patch(id, { busy: '', shareError: err.code === 'rejected' || err.code === 'canceled' ? '' : err.message });
    return false;
  }
}

export async function revokeAccess(account: string, link?: string): Promise<void> {
  const d = get(detail);
  if (!d) return;
  const id = d.dataset.id;
  patch(id, { busy: 'revoke', revoked: null });
  try {
    const r = link ? await api.revokeLink(id, link) : await api.revoke(id, account);
    patch(id, { busy: '', revoked: r });
    await reloadDetail();
  } catch (e) {
    patch(id, { busy: '' });
    const err = toApiError(e);
    if (err.code !== 'rejected' && err.code !== 'canceled') pushToast('error', 'Access was not revoked', err.message);
  }
}

export async function makeLink(label: string): Promise<void> {
  const d = get(detail);
  if (!d) return;
  const id = d.dataset.id;
  patch(id, { busy: 'link', linkError: '', newLink: null });
  try {
    const l = await api.createLink(id, label);
    let qr = '';
    try {
      qr = await api.qrCode(l.url);
    } catch {
      // Shown without a QR code: the link can still be copied.
    }
    patch(id, { busy: '', newLink: { url: l.url, qr } });
    await reloadDetail();
  } catch (e) {
    const err = toApiError(e);
    patch(id, { busy: '', linkError: err.code === 'rejected' || err.code === 'canceled' ? '' : err.message });
  }
}

/** Shows the QR code of an existing link. */
export async function showLink(url: string): Promise<void> {
  const d = get(detail);
  if (!d) return;
  let qr = '';
  try {
    qr = await api.qrCode(url);
  } catch {
    // Copy it instead.
  }
  patch(d.dataset.id, { newLink: { url, qr } });
}

/** Starts a new version of the open dataset from path. */
export async function updateWith(path: string): Promise<void> {
  const d = get(detail);
  if (!d || !path) return;
  patch(d.dataset.id, { dropped: '', revoked: null });
  try {
    await api.update(d.dataset.id, path, d.dataset.name);
  } catch (e) {
    pushToast('error', `A new version of “${d.dataset.name}” was not started`, errorMessage(e));
  }
}

/** Chooses the file of a new version with the system's file chooser. */
export async function chooseUpdate(): Promise<void> {
  try {
    const p = await api.pickFile();
    if (p) await updateWith(p);
  } catch (e) {
    pushToast('error', 'The file chooser could not open', errorMessage(e));
  }
}

/** A file dropped on the window: while a dataset's panel is open, offer it as its next version. */
export function offerDropped(path: string): boolean {
  const d = get(detail);
  if (!d) return false;
  patch(d.dataset.id, { dropped: path });
  return true;
}

export function clearDropped(): void {
  const d = get(detail);
  if (d) patch(d.dataset.id, { dropped: '' });
}

/** Opens a pasted share link: asks where to save, then downloads. */
export async function openLink(link: string): Promise<string> {
  try {
    await api.downloadLink(link, '');
    return '';
  } catch (e) {
    return errorMessage(e);
  }
}

/** After a new version finished: the lists and the open panel show it. */
export function versionDone(): void {
  void refreshDatasets().then(() => {
    const d = get(detail);
    if (!d) return;
    const fresh = get(datasets).find((x) => x.id === d.dataset.id);
    if (fresh) patch(d.dataset.id, { dataset: fresh });
    void reloadDetail();
  });
}

/** Back to the state at load (tests). */
export function resetSharing(): void {
  view.set('mine');
  shared.set([]);
  sharedLoaded.set(false);
  keyStatus.set(null);
  keyBusy.set(false);
  keyOfferDismissed.set(false);
  detail.set(null);
}
