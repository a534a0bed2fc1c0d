// Unmounts components after each test (testing-library) and resets the Wails mocks.
import '@testing-library/svelte/vitest';
import { beforeEach } from 'vitest';
import { resetWails } from './wails';

beforeEach(() => {
  resetWails();
});
