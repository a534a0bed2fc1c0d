import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { XSS } from '../test/fixtures';
import Toasts from './Toasts.svelte';

describe('Toasts', () => {
  it('says what happened and what to do, as text', async () => {
    const ondismiss = vi.fn();
    const { container } = render(Toasts, {
      props: {
        toasts: [
          { id: 1, kind: 'error', title: `Publishing “${XSS}” did not finish`, message: 'The file was moved. Choose it again.' },
          { id: 2, kind: 'success', title: 'Published “a.csv”', message: '' },
        ],
        ondismiss,
      },
    });
    expect(screen.getByRole('alert').textContent).toContain(`Publishing “${XSS}” did not finish`);
    expect(screen.getByRole('alert').textContent).toContain('The file was moved. Choose it again.');
    expect(screen.getByRole('status').textContent).toContain('Published “a.csv”');
    expect(container.querySelector('img')).toBeNull();
    await fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[0]);
    expect(ondismiss).toHaveBeenCalledWith(1);
  });
});
