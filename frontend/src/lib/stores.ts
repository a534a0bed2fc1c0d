// App state in Svelte stores, fed by events from Go and by pulling (events sent before the page
// subscribed are lost, so connect() pulls the state first). Components read these stores and call
// the actions below; only api.ts talks to Go.
import { derived, get, writable } from 'svelte/store';
import { api, errorMessage, on, toApiError, type Unsubscribe } from './api';
import { basename, displayName } from './format';
import { offerDropped, refreshKey, refreshShared, resetSharing, versionDone } from './sharing';
import type {
  AppState,
  ApprovalClosedEvent,
  ApprovalRequest,
  Dataset,
  ErrorCode,
  FilesDroppedEvent,
  JobDoneEvent,
  JobErrorEvent,
  JobKind,
  JobProgressEvent,
  Pairing,
  PairingErrorEvent,
  PassphraseRequestEvent,
  PhoneRequest,
  PhoneRequestClosedEvent,
  PublishRequest,
  Status,
  WalletEvent,
  WalletSettings,
  WalletStatus,
} from './types';

export type JobState = 'running' | 'done' | 'error' | 'canceled';

export interface Job {
  jobId: string;
  kind: JobKind;
  name: string;
  stage: string;
  done: number;
  total: number;
  state: JobState;
  message: string;
}

export interface Toast {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  message: string;
}

/** How long finished jobs and non-error toasts stay on screen. */
export const LINGER_MS = 5000;

export const appState = writable<AppState>({ state: 'starting', message: '' });
export const status = writable<Status | null>(null);
export const statusError = writable('');
export const datasets = writable<Dataset[]>([]);
export const datasetsLoaded = writable(false);
export const jobs = writable<Job[]>([]);
export const approvals = writable<ApprovalRequest[]>([]);
export const selectedFile = writable<string | null>(null);
export const publishError = writable('');
export const publishBusy = writable(false);
export const passphraseError = writable('');
export const passphraseBusy = writable(false);
export const toasts = writable<Toast[]>([]);

/** Phone approval: who approves transactions (null until the backend answered). */
export const wallet = writable<WalletStatus | null>(null);
/** Transactions waiting for approval on the phone, oldest first. */
export const phoneRequests = writable<PhoneRequest[]>([]);

/** The pairing window: the code shown, or why there is none. */
export interface PairingState {
  open: boolean;
  busy: boolean; // making a code
  pairing: Pairing | null;
  error: string;
  errorCode: ErrorCode | ''; // what kind of failure error is ('relay_unavailable': the settings may help)
  note: string; // e.g. that the last code expired and this is a new one
}
const noPairing: PairingState = { open: false, busy: false, pairing: null, error: '', errorCode: '', note: '' };
export const pairingState = writable<PairingState>(noPairing);

/** The unfinished publish the user is asked to confirm discarding, or null. */
export const discardAsk = writable<Dataset | null>(null);
export const discardBusy = writable(false);

export const settingsOpen = writable(false);
export const walletSettings = writable<WalletSettings | null>(null);
export const settingsError = writable('');
export const settingsBusy = writable(false);
export const disconnectBusy = writable(false);

/** What the pairing window says after a code expired and a new one was made. */
export const EXPIRED_NOTE = 'The last code expired, so here is a new one.';

/** The passphrase being asked for ("create" or "unlock"), or null. */
export const passphrasePurpose = derived(appState, (s) =>
  s.state === 'needs-passphrase' ? (s.purpose ?? 'unlock') : null,
);

// ---- toasts ---------------------------------------------------------------------------------

let nextToast = 1;

export function pushToast(kind: Toast['kind'], title: string, message = ''): number {
  const existing = get(toasts).find((t) => t.kind === kind && t.title === title && t.message === message);
  if (existing) return existing.id;
  const id = nextToast++;
  toasts.update((ts) => [...ts, { id, kind, title, message }]);
  if (kind !== 'error') setTimeout(() => dismissToast(id), LINGER_MS);
  return id;
}

export function dismissToast(id: number): void {
  toasts.update((ts) => ts.filter((t) => t.id !== id));
}

// ---- pulling --------------------------------------------------------------------------------

export async function refreshStatus(): Promise<void> {
  try {
    status.set(await api.status());
    statusError.set('');
  } catch (e) {
    statusError.set(errorMessage(e));
  }
}

export async function refreshDatasets(): Promise<void> {
  try {
    datasets.set(await api.listDatasets());
    datasetsLoaded.set(true);
  } catch (e) {
    pushToast('error', 'Your datasets could not be listed', errorMessage(e));
  }
}

export async function refreshWallet(): Promise<void> {
  try {
    wallet.set(await api.walletStatus());
  } catch {
    // The status bar already says why the backend does not answer.
  }
}

export async function refresh(): Promise<void> {
  await Promise.all([refreshStatus(), refreshDatasets(), refreshWallet(), refreshKey(), refreshShared()]);
}

// ---- events ---------------------------------------------------------------------------------

let passphraseSubmitted = false;

export function handleAppState(s: AppState): void {
  const before = get(appState).state;
  appState.set(s);
  if (s.state !== 'needs-passphrase') passphraseBusy.set(false);
  if (s.state === 'needs-passphrase' && before !== 'needs-passphrase') passphraseBusy.set(false);
  if (s.state === 'error' && passphraseSubmitted && (s.code === 'wrong_passphrase' || s.code === 'weak_passphrase')) {
    // A wrong or weak passphrase: ask again, saying why, instead of stopping at an error page.
    passphraseSubmitted = false;
    passphraseError.set(
      s.code === 'wrong_passphrase' ? 'That passphrase did not unlock your keys. Check it (and Caps Lock) and try again.' : s.message,
    );
    void retry();
    return;
  }
  if (s.state === 'ready') {
    passphraseSubmitted = false;
    passphraseError.set('');
    void refresh();
    api.phoneRequests().then((q) => q.forEach(handlePhoneRequest), () => {});
  }
}

export function handlePassphraseRequest(r: PassphraseRequestEvent): void {
  appState.set({ state: 'needs-passphrase', message: '', purpose: r.purpose });
  passphraseBusy.set(false);
}

export function handleApprovalRequest(r: ApprovalRequest): void {
  approvals.update((q) => (q.some((a) => a.id === r.id) ? q : [...q, r]));
}

export function handleApprovalClosed(e: ApprovalClosedEvent): void {
  approvals.update((q) => q.filter((a) => a.id !== e.id));
}

function upsertJob(jobId: string, patch: Partial<Job>): void {
  jobs.update((js) => {
    const i = js.findIndex((j) => j.jobId === jobId);
    if (i < 0) {
      const fresh: Job = { jobId, kind: 'publish', name: '', stage: '', done: 0, total: -1, state: 'running', message: '', ...patch };
      return [...js, fresh];
    }
    const copy = js.slice();
    copy[i] = { ...copy[i], ...patch, name: patch.name || copy[i].name };
    return copy;
  });
}

function jobState(jobId: string): JobState | undefined {
  return get(jobs).find((j) => j.jobId === jobId)?.state;
}

export function handleJobProgress(e: JobProgressEvent): void {
  const st = jobState(e.jobId);
  if (st && st !== 'running') return; // late event of a finished job
  upsertJob(e.jobId, { kind: e.kind, name: e.name, stage: e.stage, done: e.done, total: e.total, state: 'running' });
}

function lingerThenRemove(jobId: string): void {
  setTimeout(() => dismissJob(jobId), LINGER_MS);
}

export function handleJobDone(e: JobDoneEvent): void {
  upsertJob(e.jobId, { kind: e.kind, name: e.name, stage: 'done', state: 'done', message: '' });
  if (e.kind === 'publish') {
    pushToast('success', `Published “${e.name}”`, 'It is encrypted on IPFS and registered on the chain.');
    void refreshDatasets();
  } else if (e.kind === 'update') {
    pushToast('success', `New version of “${e.name}”`, 'Encrypted with a new key and given to everyone who still has access.');
    versionDone();
  } else {
    pushToast('success', `Downloaded “${e.name}”`, e.result ? `Saved to ${e.result.path}` : '');
  }
  lingerThenRemove(e.jobId);
}

export function handleJobError(e: JobErrorEvent): void {
  if (e.code === 'canceled') {
    upsertJob(e.jobId, { kind: e.kind, name: e.name, state: 'canceled', message: e.message });
    lingerThenRemove(e.jobId);
  } else {
    upsertJob(e.jobId, { kind: e.kind, name: e.name, state: 'error', message: e.message });
    const what = e.kind === 'publish' ? 'Publishing' : e.kind === 'update' ? 'The new version of' : 'Downloading';
    pushToast('error', `${what} “${e.name}” did not finish`, e.message);
  }
  if (e.kind === 'publish') void refreshDatasets();
}

export function handleFilesDropped(e: FilesDroppedEvent): void {
  const paths = (e.paths ?? []).filter(Boolean);
  if (paths.length === 0) return;
  if (!offerDropped(paths[0])) openPublishForm(paths[0]);
  if (paths.length > 1) {
    pushToast('info', 'One file at a time', `DataShare publishes files one by one; opened “${basename(paths[0])}”. Drop the others after it.`);
  }
}

export function handleWalletState(e: WalletEvent): void {
  if (e?.status) wallet.set(e.status);
}

export function handleWalletPaired(e: WalletEvent): void {
  handleWalletState(e);
  const open = get(pairingState).open;
  pairingSeq++;
  pairingState.set(noPairing);
  if (!open) return;
  const name = displayName(e.status?.walletName ?? '') || 'your phone wallet';
  const phone = e.status?.approval === 'phone';
  pushToast(
    phone ? 'success' : 'info',
    `Connected to ${name}`,
    phone
      ? 'From now on, transactions are approved on your phone, from its account.'
      : (e.status?.unavailable ?? 'The wallet shared no account for this network, so transactions are still approved on this computer.'),
  );
}

export function handlePairingError(e: PairingErrorEvent): void {
  const st = get(pairingState);
  if (!st.open) return;
  if (e.code === 'expired') {
    void regeneratePairing();
    return;
  }
  pairingSeq++;
  pairingState.set({ ...st, busy: false, pairing: null, note: '', error: e.message, errorCode: e.code });
}

export function handlePhoneRequest(r: PhoneRequest): void {
  phoneRequests.update((q) => (q.some((p) => p.id === r.id) ? q : [...q, r]));
}

export function handlePhoneRequestClosed(e: PhoneRequestClosedEvent): void {
  phoneRequests.update((q) => q.filter((p) => p.id !== e.id));
}

// ---- actions --------------------------------------------------------------------------------

let pairingSeq = 0; // answers to older StartPairing calls are ignored

async function makePairingCode(note: string): Promise<void> {
  const seq = ++pairingSeq;
  pairingState.update((s) => ({ ...s, open: true, busy: true, error: '', errorCode: '' }));
  try {
    const pairing = await api.startPairing();
    if (seq !== pairingSeq) return;
    pairingState.set({ open: true, busy: false, pairing, error: '', errorCode: '', note });
  } catch (e) {
    if (seq !== pairingSeq) return;
    const err = toApiError(e);
    pairingState.set({ open: true, busy: false, pairing: null, error: err.message, errorCode: err.code, note: '' });
  }
}

/** Opens the pairing window with a new code. */
export function openPairing(): Promise<void> {
  settingsOpen.set(false);
  pairingState.set({ ...noPairing, open: true });
  return makePairingCode('');
}

/** Replaces an expired code (expired: the code the window showed) with a new one, once. */
export function regeneratePairing(expired?: Pairing): Promise<void> {
  const st = get(pairingState);
  if (!st.open || st.busy || (expired && st.pairing !== expired)) return Promise.resolve();
  return makePairingCode(EXPIRED_NOTE);
}

export function retryPairing(): Promise<void> {
  return makePairingCode('');
}

export async function closePairing(): Promise<void> {
  pairingSeq++;
  pairingState.set(noPairing);
  try {
    await api.cancelPairing();
  } catch {
    // Nothing to stop.
  }
}

/** Closes the pairing window and opens the settings (the relay there may be why pairing failed). */
export async function pairingToSettings(): Promise<void> {
  await closePairing();
  await openSettings();
}

export async function openSettings(): Promise<void> {
  settingsError.set('');
  settingsBusy.set(false);
  settingsOpen.set(true);
  void refreshWallet();
  try {
    walletSettings.set(await api.settings());
  } catch (e) {
    settingsError.set(errorMessage(e));
  }
}

export function closeSettings(): void {
  settingsOpen.set(false);
  settingsError.set('');
}

export async function saveSettings(relayUrl: string, projectId: string): Promise<void> {
  settingsBusy.set(true);
  settingsError.set('');
  try {
    await api.saveSettings(relayUrl.trim(), projectId.trim());
    walletSettings.update((s) => (s ? { ...s, relayUrl: relayUrl.trim(), projectId: projectId.trim().toLowerCase() } : s));
    closeSettings();
    pushToast('info', 'Settings saved', 'DataShare reconnects with them; this takes a few seconds.');
  } catch (e) {
    settingsError.set(errorMessage(e));
  } finally {
    settingsBusy.set(false);
  }
}

export async function disconnectWallet(): Promise<void> {
  disconnectBusy.set(true);
  try {
    await api.disconnectWallet();
    // Settings, when open, shows it already (and would cover the toast).
    if (!get(settingsOpen)) pushToast('info', 'Phone disconnected', 'Transactions are approved on this computer again.');
  } catch (e) {
    pushToast('error', 'Disconnecting did not fully work', errorMessage(e));
  } finally {
    disconnectBusy.set(false);
    await refreshWallet();
  }
}

export function openPublishForm(path: string): void {
  selectedFile.set(path);
  publishError.set('');
}

export function closePublishForm(): void {
  selectedFile.set(null);
  publishError.set('');
}

export async function chooseFile(): Promise<void> {
  try {
    const path = await api.pickFile();
    if (path) openPublishForm(path);
  } catch (e) {
    pushToast('error', 'The file chooser did not open', errorMessage(e));
  }
}

export async function publish(req: PublishRequest): Promise<void> {
  publishBusy.set(true);
  publishError.set('');
  try {
    const jobId = await api.publish(req);
    upsertJob(jobId, { kind: 'publish', name: req.name.trim() || basename(req.path) });
    closePublishForm();
  } catch (e) {
    publishError.set(errorMessage(e));
  } finally {
    publishBusy.set(false);
  }
}

export async function download(d: Dataset): Promise<void> {
  try {
    const jobId = await api.download(d.id, d.name);
    if (jobId) upsertJob(jobId, { kind: 'fetch', name: d.name });
  } catch (e) {
    pushToast('error', `“${d.name}” could not be downloaded`, errorMessage(e));
  }
}

export async function cancelJob(jobId: string): Promise<void> {
  try {
    await api.cancelJob(jobId);
  } catch (e) {
    pushToast('info', 'Nothing to cancel', errorMessage(e));
  }
}

/** Continues the unfinished publish of d (status "interrupted" or "failed"). */
export async function resumeJob(d: Dataset): Promise<void> {
  try {
    const jobId = await api.resumeJob(d.jobId, d.name);
    upsertJob(jobId, { kind: 'publish', name: d.name });
  } catch (e) {
    pushToast('error', `“${d.name}” could not be resumed`, errorMessage(e));
  }
  void refreshDatasets(); // it is "publishing" now, or gone
}

/** Asks whether to discard the unfinished publish of d. */
export function askDiscard(d: Dataset): void {
  discardBusy.set(false);
  discardAsk.set(d);
}

export function cancelDiscard(): void {
  if (!get(discardBusy)) discardAsk.set(null);
}

/** Discards the publish asked about. One that may be on chain is kept: the user is told to resume it. */
export async function confirmDiscard(): Promise<void> {
  const d = get(discardAsk);
  if (!d || get(discardBusy)) return;
  discardBusy.set(true);
  try {
    await api.discardJob(d.jobId);
    pushToast('info', `Discarded “${d.name}”`, 'Its encrypted copy was removed from IPFS.');
  } catch (e) {
    const err = toApiError(e);
    if (err.code === 'on_chain') {
      pushToast('info', `“${d.name}” is kept`, 'Its transaction may already be on the chain, so it cannot be discarded. Choose Resume to finish it.');
    } else if (err.code === 'not_found') {
      pushToast('info', `“${d.name}” is no longer unfinished`, err.message);
    } else {
      pushToast('error', `“${d.name}” could not be discarded`, err.message);
    }
  } finally {
    discardBusy.set(false);
    discardAsk.set(null);
    void refreshDatasets();
  }
}

export function dismissJob(jobId: string): void {
  jobs.update((js) => js.filter((j) => j.jobId !== jobId));
}

export async function answerApproval(id: string, approved: boolean): Promise<void> {
  approvals.update((q) => q.filter((a) => a.id !== id));
  try {
    await api.answerApproval(id, approved);
  } catch (e) {
    pushToast('error', 'Your answer did not reach DataShare', errorMessage(e));
  }
}

export async function submitPassphrase(passphrase: string): Promise<void> {
  passphraseBusy.set(true);
  passphraseError.set('');
  try {
    await api.submitPassphrase(passphrase);
    passphraseSubmitted = true;
  } catch (e) {
    passphraseError.set(errorMessage(e));
    passphraseBusy.set(false);
  }
}

export async function cancelPassphrase(): Promise<void> {
  passphraseSubmitted = false;
  passphraseError.set('');
  try {
    await api.cancelPassphrase();
  } catch (e) {
    pushToast('error', 'DataShare did not take the answer', errorMessage(e));
  }
}

export async function retry(): Promise<void> {
  try {
    await api.retry();
  } catch (e) {
    pushToast('error', 'DataShare could not try again', errorMessage(e));
  }
}

// ---- wiring ---------------------------------------------------------------------------------

/**
 * Subscribes to the Go events, pulls the current state, and refreshes status and datasets every
 * pollMs while ready. Returns the function that undoes all of it.
 */
export function connect(pollMs = 5000): Unsubscribe {
  const offs = [
    on.appState(handleAppState),
    on.passphraseRequest(handlePassphraseRequest),
    on.approvalRequest(handleApprovalRequest),
    on.approvalClosed(handleApprovalClosed),
    on.jobProgress(handleJobProgress),
    on.jobDone(handleJobDone),
    on.jobError(handleJobError),
    on.filesDropped(handleFilesDropped),
    on.walletState(handleWalletState),
    on.walletPaired(handleWalletPaired),
    on.pairingError(handlePairingError),
    on.phoneRequest(handlePhoneRequest),
    on.phoneRequestClosed(handlePhoneRequestClosed),
  ];
  api.state().then(handleAppState, (e) => pushToast('error', 'DataShare did not answer', errorMessage(e)));
  api.pendingApprovals().then((q) => q.forEach(handleApprovalRequest), () => {});
  const timer = setInterval(() => {
    if (get(appState).state === 'ready') void refresh();
  }, pollMs);
  return () => {
    offs.forEach((off) => off());
    clearInterval(timer);
  };
}

/** Puts every store back to its first value (tests). */
export function resetStores(): void {
  appState.set({ state: 'starting', message: '' });
  status.set(null);
  statusError.set('');
  datasets.set([]);
  datasetsLoaded.set(false);
  jobs.set([]);
  approvals.set([]);
  selectedFile.set(null);
  publishError.set('');
  publishBusy.set(false);
  passphraseError.set('');
  passphraseBusy.set(false);
  toasts.set([]);
  passphraseSubmitted = false;
  wallet.set(null);
  phoneRequests.set([]);
  pairingState.set(noPairing);
  pairingSeq++;
  discardAsk.set(null);
  discardBusy.set(false);
  settingsOpen.set(false);
  walletSettings.set(null);
  settingsError.set('');
  settingsBusy.set(false);
  disconnectBusy.set(false);
  resetSharing();
}
