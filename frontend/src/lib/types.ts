// The data the Go side (app/) sends, as plain JSON. Amounts of ETH travel as decimal strings of
// wei: JSON numbers cannot hold them exactly.

export type AppStateName = 'starting' | 'needs-passphrase' | 'ready' | 'error';

/**
 * What kind of failure an error is (backend/share/errors.go, share.Codes): the frontend branches
 * on these, never on the wording of messages. A code it does not know is treated as 'internal'.
 */
export type ErrorCode =
  | 'canceled' // the user (or shutdown) stopped it
  | 'rejected' // the account holder declined, here or on the phone
  | 'expired' // an approval or a pairing code ran out of time
  | 'relay_unavailable' // the WalletConnect relay cannot be used
  | 'insufficient_funds' // the account cannot pay value plus fee
  | 'no_access' // no key for this dataset was granted to this account
  | 'no_key' // this profile's keys are missing, or not the ones the data was sealed for
  | 'no_recipient_key' // the account to share with registered no encryption key on this network
  | 'not_owner' // only the dataset's owner may do this
  | 'wrong_passphrase' // the passphrase did not open the keys
  | 'weak_passphrase' // a new passphrase is too weak
  | 'busy' // already running, or DataShare is starting
  | 'exists' // the file would be replaced
  | 'not_found' // no such file, directory, dataset or job
  | 'refused' // the contract refused, or the transaction failed on chain
  | 'on_chain' // a publish may be on chain already, so it is kept: resume it
  | 'wrong_network' // the node serves another chain, or has no DataShare contract
  | 'invalid_input' // what was typed or chosen is not acceptable
  | 'corrupt' // data or keys are damaged or were tampered with
  | 'unavailable' // the chain, IPFS or the keyring cannot be reached, or it took too long
  | 'internal'; // anything else
export type PassphrasePurpose = 'create' | 'unlock';

export interface AppState {
  state: AppStateName;
  code?: ErrorCode; // when state is 'error'
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
  status: string; // "published" | "publishing" (running now) | "failed" (error says why) | "interrupted"
  error?: string;
  stage?: string; // of an unfinished publish (jobId set): created, payload, metadata, signed
  txHash: string;
  txUrl: string;
  block: number;
  createdAt: string;
  grantee?: string; // in Shared with me: the account of this profile it was shared with
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

export type JobKind = 'publish' | 'fetch' | 'update';

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
  code: ErrorCode; // 'canceled' when the job was stopped
  message: string;
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
  code: ErrorCode; // 'expired': the code ran out unscanned; 'rejected': the wallet declined
  message: string;
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

// ---- sharing (backend/share: keys.go, recipient.go, sharing.go, link.go, history.go) ---------

export interface KeyStatus {
  account: string;
  registered: boolean; // others can share with the account
  matches: boolean; // the registered key is this profile's
  publicKey: string;
  onChain?: string;
  message?: string; // what to do, when not registered or not matching
}

/** A typed address as the backend checked it (EIP-55) with its registered key looked up. */
export interface Recipient {
  account: string; // EIP-55 form
  registered: boolean;
  message?: string; // why sharing with it cannot work yet
}

export interface ShareResult {
  dataset: number;
  name: string;
  version: number;
  grantees: string[];
  txHashes: string[];
  txUrls?: string[];
}

export interface RevokeResult {
  dataset: number;
  grantee: string;
  refunded: string; // wei
  txHash: string;
  txUrl?: string;
  note: string; // what revoking cannot do
}

export interface AccessGrantee {
  account: string;
  version: number; // the newest version it holds
  current: boolean;
  since: string;
  link?: string; // "share link" when the grantee is a link this profile made
}

export interface AccessRequest {
  account: string;
  amount: string; // wei
  since: string;
}

export interface DatasetAccess {
  dataset: number;
  owner: string;
  version: number;
  grantees: AccessGrantee[];
  requests: AccessRequest[];
  revoked: AccessGrantee[];
}

export interface ShareLink {
  dataset: number;
  url: string; // whoever has it can open the dataset: shown to the owner only
  account: string;
  label?: string;
  version: number;
  current: boolean;
  revoked: boolean;
  txHash?: string;
  txUrl?: string;
  createdAt: string;
}

export interface DatasetEvent {
  kind: string; // published, updated, price, requested, granted, declined, revoked, refunded
  dataset: number;
  version?: number;
  owner: string;
  account?: string;
  link?: string;
  amount?: string; // wei
  block: number;
  time: string;
  txHash: string;
  txUrl?: string;
}
