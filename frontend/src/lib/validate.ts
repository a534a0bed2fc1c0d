// Checks of what people type in Settings, with the same rules as app/wallet.go (which checks
// again): each returns "" when the value is fine, else what to fix.

/** The relay: empty (the public WalletConnect relay) or a ws:// or wss:// address. */
export function relayUrlProblem(value: string): string {
  const v = value.trim();
  if (!v) return '';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'Enter a ws:// or wss:// address, like wss://relay.walletconnect.org.';
  }
  if ((u.protocol !== 'ws:' && u.protocol !== 'wss:') || !u.hostname) {
    return 'Enter a ws:// or wss:// address, like wss://relay.walletconnect.org.';
  }
  if (u.username || u.password) return 'The relay address cannot contain a user name or password.';
  if (u.search || u.hash || /[?#]/.test(v)) return 'Leave the part from ? or # out: DataShare adds the project ID itself.';
  return '';
}

/** The project ID: empty, or 32 hexadecimal characters as Reown Cloud shows it. */
export function projectIdProblem(value: string): string {
  const v = value.trim();
  if (!v || /^[0-9a-fA-F]{32}$/.test(v)) return '';
  return `A project ID is 32 characters long, made of digits and the letters a to f (this one has ${[...v].length}).`;
}
