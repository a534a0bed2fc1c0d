import type { ApprovalRequest, Dataset, Pairing, PhoneRequest, Status, WalletStatus } from '../lib/types';

export const XSS = '<img src=x onerror="window.__pwned=1">';

export function dataset(over: Partial<Dataset> = {}): Dataset {
  return {
    id: 1,
    jobId: '',
    name: 'report.csv',
    size: 1_500_000,
    mediaType: 'text/csv',
    sha256: 'ab'.repeat(32),
    metadataCid: 'bafkreimetadata000000000000000000000000000000000000000000',
    payloadCid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
    owner: '0x1111111111111111111111111111111111111111',
    price: '0',
    public: false,
    version: 1,
    status: 'published',
    txHash: '0x' + '3f'.repeat(32),
    txUrl: '',
    block: 12,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

export function status(over: Partial<Status> = {}): Status {
  return {
    network: 'local',
    networkTitle: 'Local (this computer)',
    chainId: 1337,
    rpcUrl: 'http://127.0.0.1:8545',
    contract: '0x2222222222222222222222222222222222222222',
    ipfsMode: 'embedded',
    ipfsPeers: 3,
    ipfsPeerId: '12D3KooWPeer',
    account: '0x71C7656EC7ab88b098defB751B7401B5f6d8976F',
    balance: '10000000000000000000',
    deviceAddress: '0x71C7656EC7ab88b098defB751B7401B5f6d8976F',
    keysBackend: 'system keyring',
    dataDir: '/tmp/ds',
    block: 42,
    ...over,
  };
}

export function approvalRequest(over: Partial<ApprovalRequest['summary']> = {}, id = 'approval-1'): ApprovalRequest {
  return {
    id,
    summary: {
      action: 'Publish dataset',
      dataset: 'report.csv',
      account: '0x71C7656EC7ab88b098defB751B7401B5f6d8976F',
      network: 'Local (this computer)',
      price: '0',
      fee: '61000000000000',
      gas: 61000,
      balance: '10000000000000000000',
      note: '',
      ...over,
    },
  };
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Approving on this computer: no phone wallet. */
export function computerWallet(over: Partial<WalletStatus> = {}): WalletStatus {
  return {
    approval: 'computer',
    connected: false,
    account: '',
    walletName: '',
    walletUrl: '',
    expiry: ZERO_TIME,
    relayUrl: 'wss://relay.walletconnect.org',
    projectId: '',
    ...over,
  };
}

/** A phone wallet connected with an account. */
export function phoneWallet(over: Partial<WalletStatus> = {}): WalletStatus {
  return computerWallet({
    approval: 'phone',
    connected: true,
    account: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
    walletName: 'Rainbow',
    walletUrl: 'https://rainbow.me',
    expiry: '2030-01-09T12:00:00Z',
    ...over,
  });
}

/** A 1×1 PNG, standing in for a QR code. */
export const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

export const URI =
  'wc:7f6e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c3b2a1908@2?expiryTimestamp=1900000000&relay-protocol=irn&symKey=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** A pairing code that expires seconds from now. */
export function pairing(seconds = 300, over: Partial<Pairing> = {}): Pairing {
  return { uri: URI, qr: PNG, expiry: new Date(Date.now() + seconds * 1000).toISOString(), ...over };
}

export function phoneRequest(over: Partial<PhoneRequest['summary']> = {}, id = 'phone-1', jobId = 'job-1'): PhoneRequest {
  const { summary } = approvalRequest(over);
  return { id, jobId, summary };
}
