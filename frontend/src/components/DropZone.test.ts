import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import DropZone from './DropZone.svelte';

describe('DropZone', () => {
  it('is a big, explained target when nothing is shared yet', () => {
    render(DropZone, { props: { onchoose: vi.fn() } });
    const zone = screen.getByTestId('dropzone');
    expect(zone.classList.contains('compact')).toBe(false);
    expect(zone.textContent).toContain('Drop a file here to share it');
    expect(zone.textContent).toContain('encrypted on this computer');
    expect(zone.style.getPropertyValue('--wails-drop-target')).toBe('drop');
  });

  it('is compact when the list is shown', () => {
    render(DropZone, { props: { compact: true, onchoose: vi.fn() } });
    const zone = screen.getByTestId('dropzone');
    expect(zone.classList.contains('compact')).toBe(true);
    expect(zone.textContent).not.toContain('encrypted on this computer');
  });

  it('asks for a file with the button', async () => {
    const onchoose = vi.fn();
    render(DropZone, { props: { onchoose } });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    expect(onchoose).toHaveBeenCalledOnce();
  });

  it('lights up while a file is over it and never lets WebKit open the drop', async () => {
    render(DropZone, { props: { onchoose: vi.fn() } });
    const zone = screen.getByTestId('dropzone');
    await fireEvent.dragEnter(zone);
    expect(zone.classList.contains('over')).toBe(true);
    await fireEvent.dragLeave(zone);
    expect(zone.classList.contains('over')).toBe(false);
    await fireEvent.dragEnter(zone);
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    zone.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    await Promise.resolve();
    expect(zone.classList.contains('over')).toBe(false);
  });
});
