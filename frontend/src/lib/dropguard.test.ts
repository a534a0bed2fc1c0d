import { describe, expect, it } from 'vitest';
import { installDropGuard } from './dropguard';

function fire(type: string): boolean {
  const e = new Event(type, { bubbles: true, cancelable: true });
  document.body.dispatchEvent(e);
  return e.defaultPrevented;
}

describe('installDropGuard', () => {
  it('stops WebKit from opening dropped files until removed', () => {
    const remove = installDropGuard(window);
    for (const type of ['dragenter', 'dragover', 'drop']) expect(fire(type), type).toBe(true);
    remove();
    for (const type of ['dragenter', 'dragover', 'drop']) expect(fire(type), type).toBe(false);
  });
});
