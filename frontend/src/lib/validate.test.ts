import { describe, expect, it } from 'vitest';
import { projectIdProblem, relayUrlProblem } from './validate';

describe('relayUrlProblem', () => {
  it('accepts nothing (the public relay) and ws:// or wss:// addresses', () => {
    for (const ok of ['', '  ', 'wss://relay.walletconnect.org', 'ws://127.0.0.1:4444', ' wss://relay.example/v1 ', 'WSS://relay.example']) {
      expect(relayUrlProblem(ok), ok).toBe('');
    }
  });

  it('says what is wrong with anything else', () => {
    expect(relayUrlProblem('https://relay.example')).toMatch(/ws:\/\/ or wss:\/\//);
    expect(relayUrlProblem('relay.walletconnect.org')).toMatch(/ws:\/\/ or wss:\/\//);
    expect(relayUrlProblem('wss://')).toMatch(/ws:\/\/ or wss:\/\//);
    expect(relayUrlProblem('wss://me:pw@relay.example')).toMatch(/user name or password/);
    expect(relayUrlProblem('wss://relay.example/?projectId=1')).toMatch(/adds the project ID itself/);
    expect(relayUrlProblem('wss://relay.example/#x')).toMatch(/adds the project ID itself/);
  });
});

describe('projectIdProblem', () => {
  it('accepts nothing or 32 hexadecimal characters', () => {
    expect(projectIdProblem('')).toBe('');
    expect(projectIdProblem(' ' + 'aB3'.repeat(10) + 'cd ')).toBe('');
  });

  it('says how long a project ID is, and how long this one is', () => {
    expect(projectIdProblem('abc')).toBe('A project ID is 32 characters long, made of digits and the letters a to f (this one has 3).');
    expect(projectIdProblem('g'.repeat(32))).toMatch(/letters a to f/);
    expect(projectIdProblem('a'.repeat(33))).toMatch(/this one has 33/);
  });
});
