// The only module that calls the generated Wails bindings (wailsjs/). Everything else in the
// frontend uses these typed wrappers, so tests mock one place and the Go API is listed once.
import * as Go from '../../wailsjs/go/app/App';
import { BrowserOpenURL, ClipboardSetText, EventsOn } from '../../wailsjs/runtime/runtime';
import { safeHttpUrl } from './format';
import type {
  AppState,
  ErrorCode,
  ApprovalClosedEvent,
  ApprovalRequest,
  Dataset,
  DatasetAccess,
  DatasetEvent,
  FilesDroppedEvent,
  JobDoneEvent,
  JobErrorEvent,
  JobProgressEvent,
  Pairing,
  PairingErrorEvent,
  PassphraseRequestEvent,
  PhoneRequest,
  PhoneRequestClosedEvent,
  PublishRequest,
  KeyStatus,
  Recipient,
  RevokeResult,
  ShareLink,
  ShareResult,
  Status,
  WalletEvent,
  WalletSettings,
  WalletStatus,
} from './types';

const CODES: readonly ErrorCode[] = [
  'canceled', 'rejected', 'expired', 'relay_unavailable', 'insufficient_funds', 'no_access', 'no_key',
  'no_recipient_key', 'not_owner', 'wrong_passphrase', 'weak_passphrase', 'busy', 'exists', 'not_found', 'refused', 'on_chain', 'wrong_network',
  'invalid_input', 'corrupt', 'unavailable', 'internal',
];

/** A code from Go as an ErrorCode; one this frontend does not know is 'internal'. */
export function errorCode(code: unknown): ErrorCode {
  return CODES.includes(code as ErrorCode) ? (code as ErrorCode) : 'internal';
}

/** An error from the Go side: code says what kind (branch on it), message is a sentence for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

const FALLBACK = 'Something went wrong.';

function text(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return '';
}

/**
 * Decodes anything a binding rejects with. A Go method fails with an error whose text is the
 * JSON object {"code","message"} (app/errors.go); Wails v2 rejects with that text, or with an
 * Error carrying it. Anything else (a Wails error of its own, a plain string) is 'internal'.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const coded = (v: unknown): ApiError | null => {
    if (!v || typeof v !== 'object' || v instanceof Error) return null;
    const o = v as { code?: unknown; message?: unknown };
    if (typeof o.code !== 'string' || typeof o.message !== 'string') return null;
    return new ApiError(errorCode(o.code), o.message || FALLBACK);
  };
  const direct = coded(e); // the object itself (an error formatter that returns one)
  if (direct) return direct;
  const raw = text(e);
  try {
    const decoded = coded(JSON.parse(raw));
    if (decoded) return decoded;
  } catch {
    // Not JSON: a message of its own.
  }
  return new ApiError('internal', raw || FALLBACK);
}

/** The sentence of anything thrown by a binding. */
export function errorMessage(e: unknown): string {
  return toApiError(e).message;
}

async function call<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  state: (): Promise<AppState> => call(() => Go.State() as Promise<AppState>),
  retry: (): Promise<void> => call(() => Go.Retry()),
  submitPassphrase: (passphrase: string): Promise<void> => call(() => Go.SubmitPassphrase(passphrase)),
  cancelPassphrase: (): Promise<void> => call(() => Go.CancelPassphrase()),
  answerApproval: (id: string, approved: boolean): Promise<void> => call(() => Go.AnswerApproval(id, approved)),
  pendingApprovals: (): Promise<ApprovalRequest[]> =>
    call(async () => ((await Go.PendingApprovals()) ?? []) as ApprovalRequest[]),
  status: (): Promise<Status> => call(() => Go.Status() as Promise<Status>),
  listDatasets: (): Promise<Dataset[]> => call(async () => ((await Go.ListDatasets()) ?? []) as unknown as Dataset[]),
  /** The system file chooser; "" when the user closed it. */
  pickFile: (): Promise<string> => call(() => Go.PickFile()),
  /** Starts a publish; resolves to its job id. */
  publish: (r: PublishRequest): Promise<string> =>
    call(() => Go.Publish(r.path, r.name, r.priceEth, r.isPublic, r.description)),
  /** Asks where to save, then starts a download; resolves to its job id, "" when the user closed the dialog. */
  download: (id: number, name: string): Promise<string> => call(() => Go.Download(id, name)),
  cancelJob: (jobId: string): Promise<void> => call(() => Go.CancelJob(jobId)),
  /** Continues an unfinished publish (a dataset's jobId); resolves to the id of its progress events. */
  resumeJob: (jobId: string, name: string): Promise<string> => call(() => Go.ResumeJob(jobId, name)),
  /** Drops an unfinished publish and the encrypted copy it added to IPFS. */
  discardJob: (jobId: string): Promise<void> => call(() => Go.DiscardJob(jobId)),
  copyText: (text: string): Promise<boolean> => call(() => ClipboardSetText(text)),
  walletStatus: (): Promise<WalletStatus> => call(() => Go.WalletStatus() as Promise<WalletStatus>),
  /** A new pairing code; any pairing still running is stopped. */
  startPairing: (): Promise<Pairing> => call(() => Go.StartPairing() as Promise<Pairing>),
  cancelPairing: (): Promise<void> => call(() => Go.CancelPairing()),
  disconnectWallet: (): Promise<void> => call(() => Go.DisconnectWallet()),
  phoneRequests: (): Promise<PhoneRequest[]> => call(async () => ((await Go.PhoneRequests()) ?? []) as PhoneRequest[]),
  settings: (): Promise<WalletSettings> => call(() => Go.Settings() as Promise<WalletSettings>),
  /** Saves the relay and project ID; DataShare then restarts its connections. */
  saveSettings: (relayUrl: string, projectId: string): Promise<void> => call(() => Go.SaveSettings(relayUrl, projectId)),
  // Sharing: every check and rule is the backend's; these only pass what the user typed.
  keyStatus: (): Promise<KeyStatus> => call(() => Go.KeyStatus() as Promise<KeyStatus>),
  /** Registers this profile's encryption key (one approval). */
  registerKey: (): Promise<KeyStatus> => call(() => Go.RegisterKey() as Promise<KeyStatus>),
  /** Checks a typed address (EIP-55) and looks up its registered key; changes nothing. */
  checkAddress: (addr: string): Promise<Recipient> => call(() => Go.CheckAddress(addr) as Promise<Recipient>),
  share: (id: number, addresses: string[]): Promise<ShareResult> => call(() => Go.Share(id, addresses) as Promise<ShareResult>),
  revoke: (id: number, account: string): Promise<RevokeResult> => call(() => Go.Revoke(id, account) as Promise<RevokeResult>),
  access: (id: number): Promise<DatasetAccess> => call(() => Go.Access(id) as unknown as Promise<DatasetAccess>),
  shared: (): Promise<Dataset[]> => call(async () => ((await Go.Shared()) ?? []) as unknown as Dataset[]),
  history: (id: number): Promise<DatasetEvent[]> => call(async () => ((await Go.History(id)) ?? []) as unknown as DatasetEvent[]),
  /** Starts a new version of dataset id from the file at path; resolves to its job id. */
  update: (id: number, path: string, name: string): Promise<string> => call(() => Go.Update(id, path, name)),
  createLink: (id: number, label: string): Promise<ShareLink> => call(() => Go.CreateLink(id, label) as unknown as Promise<ShareLink>),
  links: (id: number): Promise<ShareLink[]> => call(async () => ((await Go.Links(id)) ?? []) as unknown as ShareLink[]),
  revokeLink: (id: number, url: string): Promise<RevokeResult> => call(() => Go.RevokeLink(id, url) as Promise<RevokeResult>),
  /** A QR code of text, as a PNG data: URL. */
  qrCode: (text: string): Promise<string> => call(() => Go.QRCode(text)),
  /** Asks where to save, then opens a share link; resolves to its job id, "" when the dialog was closed. */
  downloadLink: (link: string, name: string): Promise<string> => call(() => Go.DownloadLink(link, name)),
  /** Opens an http(s) link in the system browser; anything else is ignored. */
  openURL(url: string): boolean {
    const safe = safeHttpUrl(url);
    if (safe) BrowserOpenURL(safe);
    return safe !== null;
  },
};

export type Unsubscribe = () => void;

function listen<T>(name: string, cb: (data: T) => void): Unsubscribe {
  return EventsOn(name, (data: T) => cb(data));
}

/** Event names, as app/events.go sends them. */
export const EVENTS = {
  appState: 'app:state',
  passphraseRequest: 'passphrase:request',
  approvalRequest: 'approval:request',
  approvalClosed: 'approval:closed',
  jobProgress: 'job:progress',
  jobDone: 'job:done',
  jobError: 'job:error',
  filesDropped: 'files:dropped',
  walletState: 'wallet:state',
  walletPaired: 'wallet:paired',
  pairingError: 'wallet:pairing-error',
  phoneRequest: 'wallet:request',
  phoneRequestClosed: 'wallet:request-closed',
} as const;

export const on = {
  appState: (cb: (s: AppState) => void) =>
    listen<AppState>(EVENTS.appState, (s) => cb(s.code === undefined ? s : { ...s, code: errorCode(s.code) })),
  passphraseRequest: (cb: (r: PassphraseRequestEvent) => void) => listen(EVENTS.passphraseRequest, cb),
  approvalRequest: (cb: (r: ApprovalRequest) => void) => listen(EVENTS.approvalRequest, cb),
  approvalClosed: (cb: (r: ApprovalClosedEvent) => void) => listen(EVENTS.approvalClosed, cb),
  jobProgress: (cb: (e: JobProgressEvent) => void) => listen(EVENTS.jobProgress, cb),
  jobDone: (cb: (e: JobDoneEvent) => void) => listen(EVENTS.jobDone, cb),
  jobError: (cb: (e: JobErrorEvent) => void) => listen<JobErrorEvent>(EVENTS.jobError, (e) => cb({ ...e, code: errorCode(e.code) })),
  filesDropped: (cb: (e: FilesDroppedEvent) => void) => listen(EVENTS.filesDropped, cb),
  walletState: (cb: (e: WalletEvent) => void) => listen(EVENTS.walletState, cb),
  walletPaired: (cb: (e: WalletEvent) => void) => listen(EVENTS.walletPaired, cb),
  pairingError: (cb: (e: PairingErrorEvent) => void) =>
    listen<PairingErrorEvent>(EVENTS.pairingError, (e) => cb({ ...e, code: errorCode(e.code) })),
  phoneRequest: (cb: (r: PhoneRequest) => void) => listen(EVENTS.phoneRequest, cb),
  phoneRequestClosed: (cb: (e: PhoneRequestClosedEvent) => void) => listen(EVENTS.phoneRequestClosed, cb),
};
