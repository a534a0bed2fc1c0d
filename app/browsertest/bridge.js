// The Wails runtime as the page of a browser test sees it: window.go.app.App.* calls the real
// App's bound methods over HTTP, window.runtime delivers its events (server-sent events). The
// test's Go side (bridge_test.go) serves this file before the frontend bundle.
(() => {
  const listeners = new Map();
  const events = new EventSource('/events');
  events.onmessage = (m) => {
    const { name, args } = JSON.parse(m.data);
    for (const l of [...(listeners.get(name) ?? [])]) {
      if (l.max > 0 && --l.max === 0) listeners.get(name).delete(l);
      l.cb(...args);
    }
  };
  window.__bridge = { clipboard: '', opened: [], ready: new Promise((ok) => events.addEventListener('open', ok, { once: true })) };
  const nop = () => {};
  window.runtime = {
    EventsOnMultiple(name, cb, max) {
      const l = { cb, max };
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(l);
      return () => listeners.get(name)?.delete(l);
    },
    EventsOff(...names) {
      names.forEach((n) => listeners.delete(n));
    },
    EventsOffAll() {
      listeners.clear();
    },
    EventsEmit: nop,
    BrowserOpenURL(url) {
      window.__bridge.opened.push(url);
    },
    async ClipboardSetText(text) {
      window.__bridge.clipboard = text;
      return true;
    },
    async ClipboardGetText() {
      return window.__bridge.clipboard;
    },
    OnFileDrop: nop,
    OnFileDropOff: nop,
    LogPrint: nop, LogTrace: nop, LogDebug: nop, LogInfo: nop, LogWarning: nop, LogError: nop, LogFatal: nop,
    WindowSetTitle: nop,
  };
  const call = async (method, args) => {
    const r = await fetch('/call/' + method, { method: 'POST', body: JSON.stringify(args) });
    const text = await r.text();
    if (!r.ok) throw text; // Wails rejects with the Go error's text
    return text === '' ? undefined : JSON.parse(text);
  };
  window.go = { app: { App: new Proxy({}, { get: (_, method) => (...args) => call(String(method), args) }) } };
})();
