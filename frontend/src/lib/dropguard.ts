// Works around Wails issue 3686 (Linux): without this, WebKit also "opens" a file dropped on the
// window and the whole UI is replaced by the file. The drop itself reaches Go (runtime.OnFileDrop),
// which sends files:dropped.
//
// dragenter must be cancelled as well as dragover: when the pointer moves onto a new element,
// WebKit dispatches only dragenter, and a drop right after it (a quick drag) counts as unhandled
// if dragenter was not cancelled, so WebKit navigates to the file.
const EVENTS = ['dragenter', 'dragover', 'drop'] as const;

export function installDropGuard(target: Window = window): () => void {
  const prevent = (e: Event) => e.preventDefault();
  for (const name of EVENTS) target.addEventListener(name, prevent);
  return () => {
    for (const name of EVENTS) target.removeEventListener(name, prevent);
  };
}
