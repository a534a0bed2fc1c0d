// Stand-ins for the generated Wails modules (wailsjs/), for vi.mock:
//   vi.mock('../../wailsjs/go/app/App', () => import('../test/wails').then((m) => m.goApp));
//   vi.mock('../../wailsjs/runtime/runtime', () => import('../test/wails').then((m) => m.runtime));
// emit() delivers an event as the Go side would.
import { vi } from 'vitest';
import { computerWallet } from './fixtures';

type Handler = (...data: unknown[]) => void;
const handlers = new Map<string, Set<Handler>>();

export const runtime = {
  EventsOn: vi.fn((name: string, cb: Handler) => {
    if (!handlers.has(name)) handlers.set(name, new Set());
    handlers.get(name)!.add(cb);
    return () => handlers.get(name)?.delete(cb);
  }),
  BrowserOpenURL: vi.fn(),
  ClipboardSetText: vi.fn(async () => true),
};

export const goApp = {
  State: vi.fn(),
  Retry: vi.fn(),
  SubmitPassphrase: vi.fn(),
  CancelPassphrase: vi.fn(),
  AnswerApproval: vi.fn(),
  PendingApprovals: vi.fn(),
  Status: vi.fn(),
  ListDatasets: vi.fn(),
  PickFile: vi.fn(),
  Publish: vi.fn(),
  Download: vi.fn(),
  CancelJob: vi.fn(),
  ResumeJob: vi.fn(),
  DiscardJob: vi.fn(),
  HandleFileDrop: vi.fn(),
  WalletStatus: vi.fn(),
  StartPairing: vi.fn(),
  CancelPairing: vi.fn(),
  DisconnectWallet: vi.fn(),
  PhoneRequests: vi.fn(),
  Settings: vi.fn(),
  SaveSettings: vi.fn(),
  KeyStatus: vi.fn(),
  RegisterKey: vi.fn(),
  CheckAddress: vi.fn(),
  Share: vi.fn(),
  Revoke: vi.fn(),
  Access: vi.fn(),
  Shared: vi.fn(),
  History: vi.fn(),
  Update: vi.fn(),
  CreateLink: vi.fn(),
  Links: vi.fn(),
  RevokeLink: vi.fn(),
  QRCode: vi.fn(),
  DownloadLink: vi.fn(),
};

/** Sends an event to every subscriber, as runtime.EventsEmit does. */
export function emit(name: string, data: unknown): void {
  handlers.get(name)?.forEach((h) => h(data));
}

/** How many listeners an event has. */
export function listeners(name: string): number {
  return handlers.get(name)?.size ?? 0;
}

/** Clears calls and listeners and gives every binding a harmless default answer. */
export function resetWails(): void {
  handlers.clear();
  for (const f of Object.values(runtime)) f.mockClear();
  runtime.ClipboardSetText.mockImplementation(async () => true);
  for (const f of Object.values(goApp)) f.mockReset();
  goApp.State.mockResolvedValue({ state: 'starting', message: '' });
  goApp.PendingApprovals.mockResolvedValue([]);
  goApp.ListDatasets.mockResolvedValue([]);
  goApp.Status.mockRejectedValue('DataShare is still starting; try again in a moment');
  for (const f of [goApp.Retry, goApp.SubmitPassphrase, goApp.CancelPassphrase, goApp.AnswerApproval, goApp.CancelJob]) {
    f.mockResolvedValue(undefined);
  }
  goApp.WalletStatus.mockResolvedValue(computerWallet());
  goApp.PhoneRequests.mockResolvedValue([]);
  goApp.StartPairing.mockRejectedValue('DataShare is still starting; try again in a moment');
  goApp.Settings.mockResolvedValue({ relayUrl: '', projectId: '', defaultRelayUrl: 'wss://relay.walletconnect.org' });
  for (const f of [goApp.CancelPairing, goApp.DisconnectWallet, goApp.SaveSettings]) f.mockResolvedValue(undefined);
  goApp.PickFile.mockResolvedValue('');
  goApp.Publish.mockResolvedValue('job-1');
  goApp.Download.mockResolvedValue('');
  goApp.KeyStatus.mockResolvedValue({ account: '0x1', registered: true, matches: true, publicKey: '0x2' });
  goApp.Shared.mockResolvedValue([]);
  goApp.Links.mockResolvedValue([]);
  goApp.History.mockResolvedValue([]);
  goApp.DownloadLink.mockResolvedValue('');
}

/**
 * What a binding rejects with when the Go method fails: Wails v2 wraps the text of the Go error,
 * the JSON object {code, message} of app/errors.go, in an Error.
 */
export function goError(code: string, message: string): Error {
  return new Error(JSON.stringify({ code, message }));
}
