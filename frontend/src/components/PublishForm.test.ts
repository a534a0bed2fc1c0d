import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { XSS } from '../test/fixtures';
import PublishForm from './PublishForm.svelte';

function setup(props: Record<string, unknown> = {}) {
  const onsubmit = vi.fn();
  const oncancel = vi.fn();
  const r = render(PublishForm, { props: { path: '/home/me/data/report 2026.csv', onsubmit, oncancel, ...props } });
  const name = screen.getByLabelText('Name') as HTMLInputElement;
  const price = screen.getByLabelText('Price') as HTMLInputElement;
  const submit = screen.getByRole('button', { name: 'Encrypt and publish' }) as HTMLButtonElement;
  return { ...r, onsubmit, oncancel, name, price, submit };
}

describe('PublishForm', () => {
  it('names the dataset after the file', () => {
    const { name } = setup();
    expect(name.value).toBe('report 2026.csv');
    expect(screen.getByText('/home/me/data/report 2026.csv')).toBeTruthy();
  });

  it('takes the name of a Windows path too', () => {
    const { name } = setup({ path: 'C:\\Users\\me\\Q3.xlsx' });
    expect(name.value).toBe('Q3.xlsx');
  });

  it('sends what was entered', async () => {
    const { onsubmit, name, price, submit, container } = setup();
    await fireEvent.input(name, { target: { value: '  Reader survey  ' } });
    await fireEvent.input(price, { target: { value: '0.05' } });
    await fireEvent.click(screen.getByRole('checkbox'));
    await fireEvent.input(container.querySelector('textarea')!, { target: { value: 'One row per answer.' } });
    await fireEvent.click(submit);
    expect(onsubmit).toHaveBeenCalledWith({
      path: '/home/me/data/report 2026.csv',
      name: 'Reader survey',
      priceEth: '0.05',
      isPublic: true,
      description: 'One row per answer.',
    });
  });

  it('explains the price as it is typed, to the last wei', async () => {
    const { price, submit } = setup();
    expect(screen.getByText(/Free: people ask for access/)).toBeTruthy();
    await fireEvent.input(price, { target: { value: '0.000000000000000001' } });
    expect(screen.getByText(/Buyers pay 0\.000000000000000001 ETH, held in escrow/)).toBeTruthy();
    expect(submit.disabled).toBe(false);
    await fireEvent.input(price, { target: { value: '1234.5' } });
    expect(screen.getByText(/Buyers pay 1,234\.5 ETH/)).toBeTruthy();
  });

  it.each(['1,5', '-1', '0.0000000000000000001', '1e-3', 'free'])('refuses the price %j', async (bad) => {
    const { price, submit, onsubmit } = setup();
    await fireEvent.input(price, { target: { value: bad } });
    expect(price.getAttribute('aria-invalid')).toBe('true');
    expect(submit.disabled).toBe(true);
    expect(screen.getByText(/Write an amount like 0\.05/)).toBeTruthy();
    await fireEvent.submit(submit.form!);
    expect(onsubmit).not.toHaveBeenCalled();
  });

  it('needs a name', async () => {
    const { name, submit } = setup();
    await fireEvent.input(name, { target: { value: '   ' } });
    expect(submit.disabled).toBe(true);
  });

  it('shows an error from DataShare as text', () => {
    const { container } = setup({ error: `${XSS} is a folder` });
    expect(screen.getByRole('alert').textContent).toBe(`${XSS} is a folder`);
    expect(container.querySelector('img')).toBeNull();
  });

  it('can be cancelled, and waits while busy', async () => {
    const { oncancel, submit, rerender } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(oncancel).toHaveBeenCalledOnce();
    await rerender({ busy: true });
    expect(submit.disabled).toBe(true);
    expect(submit.textContent).toContain('Starting…');
  });
});
