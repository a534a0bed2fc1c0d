// Formatting for people: amounts of ETH from wei strings, sizes, hashes, progress stages.

const WEI_PER_ETH = 10n ** 18n;

function toWei(wei: string | bigint): bigint | null {
  if (typeof wei === 'bigint') return wei;
  const s = String(wei ?? '').trim();
  if (!/^-?\d+$/.test(s)) return null;
  return BigInt(s);
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The exact amount of ETH in wei, without trailing zeros: "1.5", "0.000000000000000001". */
export function formatEth(wei: string | bigint): string {
  const v = toWei(wei);
  if (v === null) return '—';
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / WEI_PER_ETH;
  const frac = (abs % WEI_PER_ETH).toString().padStart(18, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + group(whole.toString()) + (frac ? '.' + frac : '');
}

/**
 * An amount of ETH rounded down to a few decimals, for glances (balances): "9.9987",
 * "< 0.0001" for a dust amount, "0" for nothing.
 */
export function formatEthShort(wei: string | bigint, decimals = 4): string {
  const v = toWei(wei);
  if (v === null) return '—';
  if (v === 0n) return '0';
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const unit = 10n ** BigInt(18 - decimals);
  const rounded = (abs / unit) * unit;
  if (rounded === 0n) return (neg ? '> -' : '< ') + '0.' + '0'.repeat(decimals - 1) + '1';
  return (neg ? '-' : '') + formatEth(rounded);
}

/**
 * An upper bound in ETH, rounded up to a few decimals: a fee "at most 0.00011521 ETH" is still
 * true after rounding. Exact when it fits.
 */
export function formatEthCeil(wei: string | bigint, decimals = 8): string {
  const v = toWei(wei);
  if (v === null) return '—';
  if (v <= 0n) return formatEth(v);
  const unit = 10n ** BigInt(18 - decimals);
  return formatEth(((v + unit - 1n) / unit) * unit);
}

/** Whether s is an amount of ETH a person may type: digits, at most one dot, ≤ 18 decimals. */
export function isEthAmount(s: string): boolean {
  return /^(\d+(\.\d{0,18})?|\.\d{1,18})$/.test(s.trim());
}

/** Converts a typed amount of ETH to wei (null when it is not one). */
export function parseEth(s: string): bigint | null {
  const t = s.trim();
  if (!isEthAmount(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return BigInt(whole || '0') * WEI_PER_ETH + BigInt((frac + '0'.repeat(18)).slice(0, 18));
}

/** A size in bytes for people: "0 B", "999 B", "1.5 kB", "12 MB" (decimal units). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = v < 10 ? 1 : 0;
  let text = v.toFixed(digits);
  if (text === '1000' && i < units.length - 1) {
    text = '1.0';
    i++;
  }
  return `${text.replace(/\.0$/, '')} ${units[i]}`;
}

/** Shortens a long identifier in the middle: "bafybe…4xq2". */
export function shorten(s: string, head = 6, tail = 4): string {
  if (!s) return '';
  if (s.length <= head + tail + 1) return s;
  return `${s.slice(0, head)}…${s.slice(-tail)}`;
}

/** An address as people glance at it: "0x1234…abcd". */
export function shortAddress(addr: string): string {
  return shorten(addr, 6, 4);
}

/** The last part of a path, for either separator. */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

const stages: Record<string, string> = {
  encrypt: 'Encrypting and adding to IPFS',
  metadata: 'Writing the description',
  approve: 'Waiting for your approval',
  confirm: 'Waiting for the network to confirm',
  locate: 'Looking up the dataset on the chain',
  download: 'Downloading from IPFS',
  decrypt: 'Decrypting and checking',
  done: 'Done',
};

/** What a progress stage means, in words. */
export function stageLabel(stage: string, kind: 'publish' | 'fetch' = 'publish'): string {
  if (!stage) return kind === 'publish' ? 'Preparing to publish' : 'Preparing to download';
  return stages[stage] ?? stage;
}

/** Returns url when it is an http(s) link, else null (never a javascript: URL). */
export function safeHttpUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A percentage (0–100) of done of total, or null when the total is unknown. */
export function percent(done: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.max(0, Math.min(100, (done / total) * 100));
}

/**
 * A name chosen by strangers (a wallet's), made safe to show as text: no control or
 * bidirectional-override characters, spaces collapsed, at most max characters.
 */
export function displayName(name: string, max = 60): string {
  const clean = String(name ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : clean;
}

/** A time from Go (RFC 3339) as a Date, or null for Go's zero time or garbage. */
export function parseTime(s: string | undefined | null): Date | null {
  if (!s || s.startsWith('0001-')) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

/** A date and time for people, "Jan 2, 2030, 3:04 AM"; "" for none. */
export function formatDateTime(s: string | undefined | null): string {
  const d = parseTime(s);
  return d ? d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** Seconds as a countdown, "4:05". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
