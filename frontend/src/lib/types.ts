// The data the Go side (app/) sends, as plain JSON. Amounts of ETH travel as decimal strings of
// wei: JSON numbers cannot hold them exactly.

export type AppStateName = 'starting' | 'needs-passphrase' | 'ready' | 'error';
export type PassphrasePurpose = 'create' | 'unlock';

export interface AppState {
  state: AppStateName;
  message: string;
  purpose?: PassphrasePurpose;
}

export interface Dataset {
  id: number; // 0 while not confirmed
  jobId: string;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
  metadataCid: string;
  payloadCid: string;
  owner: string;
  price: string; // wei
  public: boolean;
  version: number;
  status: string; // "published" | "publishing" | "failed"
  error?: string;
  txHash: string;
  txUrl: string;
  block: number;
  createdAt: string;
}

export interface Status {
  network: string;
  networkTitle: string;
  chainId: number;
  rpcUrl: string;
  contract: string;
  ipfsMode: string;
  ipfsPeers: number;
  ipfsPeerId: string;
  account: string;
  balance: string; // wei
  deviceAddress: string;
  keysBackend: string;
  dataDir: string;
  block: number;
}

export interface FetchResult {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

export interface ApprovalSummary {
  action: string;
  dataset: string;
  account: string;
  network: string;
  price: string; // wei
  fee: string; // wei, the most the network fee can be
  gas: number;
  balance: string; // wei
  note: string; // what the transaction sets up, e.g. the access price of a publish
}

export interface ApprovalRequest {
  id: string;
  summary: ApprovalSummary;
}

export type JobKind = 'publish' | 'fetch';

export interface JobProgressEvent {
  jobId: string;
  kind: JobKind;
  name: string;
  stage: string;
  done: number;
  total: number; // -1 when unknown
}

export interface JobDoneEvent {
  jobId: string;
  kind: JobKind;
  name: string;
  dataset?: Dataset;
  result?: FetchResult;
}

export interface JobErrorEvent {
  jobId: string;
  kind: JobKind;
  name: string;
  message: string;
  canceled: boolean;
}

export interface PassphraseRequestEvent {
  purpose: PassphrasePurpose;
}

export interface ApprovalClosedEvent {
  id: string;
}

export interface FilesDroppedEvent {
  paths: string[];
}

export interface PublishRequest {
  path: string;
  name: string;
  priceEth: string;
  isPublic: boolean;
  description: string;
}

// ---- phone approval (WalletConnect) ---------------------------------------------------------

export type ApprovalMode = 'computer' | 'phone';

/** Who approves transactions: this computer, or a phone wallet connected through WalletConnect. */
export interface WalletStatus {
  approval: ApprovalMode;
  connected: boolean;
  account: string; // the wallet's account, when connected
  walletName: string; // chosen by the wallet's makers: show as text only
  walletUrl: string;
  expiry: string; // RFC 3339; the zero time ("0001-…") when there is no session
  relayUrl: string;
  projectId: string;
  unavailable?: string; // why phone approval cannot be used now
}

/** A code for a phone wallet to scan (StartPairing). */
export interface Pairing {
  uri: string; // the wc: URI; it holds a key: shown and copied, never logged
  qr: string; // PNG data: URL
  expiry: string; // RFC 3339
}

export interface WalletEvent {
  status: WalletStatus;
}

export interface PairingErrorEvent {
  message: string;
  expired: boolean;
  rejected: boolean;
}

/** A transaction waiting for approval on the phone. */
export interface PhoneRequest {
  id: string;
  jobId: string;
  summary: ApprovalSummary;
}

export interface PhoneRequestClosedEvent {
  id: string;
}

export interface WalletSettings {
  relayUrl: string; // "" = the public relay
  projectId: string;
  defaultRelayUrl: string;
}
