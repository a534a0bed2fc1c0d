import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { installDropGuard } from './lib/dropguard';

installDropGuard();

const app = mount(App, { target: document.getElementById('app')! });

export default app;
