import { describe, expect, it } from 'vitest';
import {
  basename,
  displayName,
  formatBytes,
  formatCountdown,
  formatDateTime,
  formatEth,
  formatEthShort,
  isEthAmount,
  parseEth,
  parseTime,
  percent,
  safeHttpUrl,
  shortAddress,
  shorten,
  stageLabel,
} from './format';

describe('formatEth', () => {
  it.each([
    ['0', '0'],
    ['1', '0.000000000000000001'],
    ['10', '0.00000000000000001'],
    ['999999999999999999', '0.999999999999999999'],
    ['1000000000000000000', '1'],
    ['1000000000000000001', '1.000000000000000001'],
    ['1500000000000000000', '1.5'],
    ['50000000000000000', '0.05'],
    ['61000000000000', '0.000061'],
    ['1234000000000000000000', '1,234'],
    ['123456789012345678901234567890', '123,456,789,012.34567890123456789'],
    ['115792089237316195423570985008687907853269984665640564039457584007913129639935', '115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935'],
    ['-1500000000000000000', '-1.5'],
  ])('%s wei is %s ETH', (wei, eth) => {
    expect(formatEth(wei)).toBe(eth);
  });

  it('takes bigints and refuses what is not an integer', () => {
    expect(formatEth(2n * 10n ** 18n)).toBe('2');
    expect(formatEth('1.5')).toBe('—');
    expect(formatEth('')).toBe('—');
    expect(formatEth('1e18')).toBe('—');
  });
});

describe('formatEthShort', () => {
  it.each([
    ['0', '0'],
    ['1', '< 0.0001'],
    ['99999999999999', '< 0.0001'],
    ['100000000000000', '0.0001'],
    ['9999999999999999999', '9.9999'],
    ['10000000000000000000', '10'],
    ['1234567890000000000000', '1,234.5678'],
  ])('%s wei is about %s ETH', (wei, eth) => {
    expect(formatEthShort(wei)).toBe(eth);
  });
});

describe('typed amounts', () => {
  it.each([
    ['0', 0n],
    ['0.05', 50000000000000000n],
    ['.5', 500000000000000000n],
    ['1.', 1000000000000000000n],
    ['0.000000000000000001', 1n],
    [' 2 ', 2000000000000000000n],
  ])('%s parses', (s, wei) => {
    expect(isEthAmount(s)).toBe(true);
    expect(parseEth(s)).toBe(wei);
  });

  it.each(['', '.', '-1', '1,5', '1e-3', '0.0000000000000000001', 'abc', '1.2.3', '0x10'])('%j is refused', (s) => {
    expect(isEthAmount(s)).toBe(false);
    expect(parseEth(s)).toBeNull();
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [1500, '1.5 kB'],
    [1_500_000, '1.5 MB'],
    [999_999, '1 MB'],
    [12_345_678_901, '12 GB'],
    [-1, '—'],
    [NaN, '—'],
  ])('%d bytes is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('small helpers', () => {
  it('shortens in the middle', () => {
    expect(shorten('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 8, 6)).toBe('bafybeig…5fbzdi');
    expect(shorten('short')).toBe('short');
    expect(shortAddress('0x71C7656EC7ab88b098defB751B7401B5f6d8976F')).toBe('0x71C7…976F');
  });

  it('takes the base name of either kind of path', () => {
    expect(basename('/home/me/report.csv')).toBe('report.csv');
    expect(basename('C:\\Users\\me\\data.xlsx')).toBe('data.xlsx');
    expect(basename('/home/me/dir/')).toBe('dir');
  });

  it('allows only http(s) links', () => {
    expect(safeHttpUrl('https://sepolia.etherscan.io/tx/0xabc')).toBe('https://sepolia.etherscan.io/tx/0xabc');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('file:///etc/passwd')).toBeNull();
    expect(safeHttpUrl('')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
  });

  it('names stages and computes percentages', () => {
    expect(stageLabel('encrypt')).toBe('Encrypting and adding to IPFS');
    expect(stageLabel('', 'fetch')).toBe('Preparing to download');
    expect(stageLabel('something-new')).toBe('something-new');
    expect(percent(5, 10)).toBe(50);
    expect(percent(5, -1)).toBeNull();
    expect(percent(20, 10)).toBe(100);
  });
});

describe('phone approval formatting', () => {
  it('cleans names chosen by strangers', () => {
    expect(displayName('  Rainbow \n Wallet ')).toBe('Rainbow Wallet');
    expect(displayName('Evil\u202eWallet\u0000')).toBe('EvilWallet');
    expect(displayName('x'.repeat(100), 10)).toBe('x'.repeat(9) + '…');
    expect(displayName(undefined as unknown as string)).toBe('');
  });

  it('reads Go times, treating the zero time as none', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseTime('')).toBeNull();
    expect(parseTime('soon')).toBeNull();
    expect(parseTime('2030-01-09T12:00:00Z')?.toISOString()).toBe('2030-01-09T12:00:00.000Z');
    expect(formatDateTime('0001-01-01T00:00:00Z')).toBe('');
    expect(formatDateTime('2030-01-09T12:00:00Z')).toMatch(/Jan 9, 2030/);
  });

  it('counts down in minutes and seconds', () => {
    expect(formatCountdown(300)).toBe('5:00');
    expect(formatCountdown(65)).toBe('1:05');
    expect(formatCountdown(9.7)).toBe('0:09');
    expect(formatCountdown(-3)).toBe('0:00');
  });
});
