import { afterEach, describe, expect, it } from 'vitest';
import { trapTab } from './focus';

function dialog(html: string): HTMLElement {
  const d = document.createElement('div');
  d.tabIndex = -1;
  d.innerHTML = html;
  document.body.appendChild(d);
  return d;
}

function tab(d: HTMLElement, shiftKey = false): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, cancelable: true });
  trapTab(e, d);
  return e;
}

describe('trapTab', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('wraps from the last element to the first and back', () => {
    const d = dialog('<input id="a"><button id="b" disabled>x</button><button id="c">y</button>');
    (d.querySelector('#c') as HTMLElement).focus();
    expect(tab(d).defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe('a');
    expect(tab(d, true).defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe('c');
  });

  it('sends Shift+Tab from the dialog itself to the last element', () => {
    const d = dialog('<button id="a">a</button><button id="b">b</button>');
    d.focus();
    tab(d, true);
    expect(document.activeElement?.id).toBe('b');
  });

  it('leaves Tab between elements and other keys alone', () => {
    const d = dialog('<button id="a">a</button><button id="b">b</button>');
    (d.querySelector('#a') as HTMLElement).focus();
    expect(tab(d).defaultPrevented).toBe(false);
    const esc = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    trapTab(esc, d);
    expect(esc.defaultPrevented).toBe(false);
  });
});
