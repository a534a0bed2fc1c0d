package browsertest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/datashare/datashare/app"
)

// The bridge puts a real *app.App where the Wails webview would: it serves the built frontend
// bundle on 127.0.0.1 and, in the page, window.go.app.App.* and window.runtime as Wails defines
// them (bridge.js): a bound method is a POST of its JSON arguments to /call/NAME, answered with
// its JSON result, or a failure whose body is the error's text (Wails rejects with that text
// too); events arrive over a server-sent event stream. Only the OS dialogs are stand-ins (a
// browser has none): dialogs answers from a list the test sets.

//go:embed bridge.js
var bridgeJS []byte

// notBound are App's methods Wails calls itself, not the page.
var notBound = map[string]bool{"Startup": true, "DomReady": true, "Shutdown": true}

type bridge struct {
	app  *app.App
	dist string
	srv  *http.Server
	url  string

	mu   sync.Mutex
	subs map[chan []byte]bool
}

// EventsEmit is app.Emitter: each event goes to every page subscribed now (as with Wails, an
// event sent before the page listens is lost).
func (b *bridge) EventsEmit(_ context.Context, name string, data ...any) {
	if data == nil {
		data = []any{}
	}
	msg, err := json.Marshal(map[string]any{"name": name, "args": data})
	if err != nil {
		panic(fmt.Sprintf("event %s cannot be encoded: %v", name, err))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- msg:
		default: // a page that does not read is not waited for
		}
	}
}

func newBridge(dist string) *bridge {
	return &bridge{dist: dist, subs: map[chan []byte]bool{}}
}

// serve starts the HTTP server on a loopback port.
func (b *bridge) serve() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /call/{method}", b.call)
	mux.HandleFunc("GET /events", b.events)
	mux.HandleFunc("GET /bridge.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(bridgeJS)
	})
	files := http.FileServer(http.Dir(b.dist))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			files.ServeHTTP(w, r)
			return
		}
		page, err := os.ReadFile(filepath.Join(b.dist, "index.html"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		// bridge.js runs first, as the Wails runtime does in the webview.
		page = bytes.Replace(page, []byte("<script type=\"module\""), []byte("<script src=\"/bridge.js\"></script><script type=\"module\""), 1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	b.url = "http://" + ln.Addr().String() + "/"
	go b.srv.Serve(ln)
	return nil
}

func (b *bridge) close() {
	if b.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.srv.Shutdown(ctx)
	}
}

func (b *bridge) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "no streaming", http.StatusInternalServerError)
		return
	}
	ch := make(chan []byte, 256)
	b.mu.Lock()
	b.subs[ch] = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": open\n\n")
	fl.Flush()
	for {
		select {
		case msg := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			fl.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

// call runs one bound method of App with the page's JSON arguments, as Wails does.
func (b *bridge) call(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("method")
	m := reflect.ValueOf(b.app).MethodByName(name)
	if !m.IsValid() || notBound[name] {
		http.Error(w, "no bound method "+name, http.StatusNotFound)
		return
	}
	var raw []json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		http.Error(w, "arguments: "+err.Error(), http.StatusBadRequest)
		return
	}
	mt := m.Type()
	if len(raw) != mt.NumIn() {
		http.Error(w, fmt.Sprintf("%s takes %d arguments, got %d", name, mt.NumIn(), len(raw)), http.StatusBadRequest)
		return
	}
	args := make([]reflect.Value, len(raw))
	for i := range raw {
		v := reflect.New(mt.In(i))
		if err := json.Unmarshal(raw[i], v.Interface()); err != nil {
			http.Error(w, fmt.Sprintf("argument %d of %s: %v", i+1, name, err), http.StatusBadRequest)
			return
		}
		args[i] = v.Elem()
	}
	out := m.Call(args)
	errType := reflect.TypeFor[error]()
	var result any
	for _, o := range out {
		if o.Type() == errType {
			if !o.IsNil() {
				w.WriteHeader(http.StatusUnprocessableEntity)
				w.Write([]byte(o.Interface().(error).Error()))
				return
			}
			continue
		}
		result = o.Interface()
	}
	w.Header().Set("Content-Type", "application/json")
	if result == nil {
		return
	}
	if err := json.NewEncoder(w).Encode(result); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// dialogs stands in for the OS file dialogs: OpenFile answers the next path the test queued
// ("" once there is none: the user closed the chooser), SaveFile a path in dir.
type dialogs struct {
	dir string

	mu   sync.Mutex
	open []string
}

func (d *dialogs) queue(paths ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.open = append(d.open, paths...)
}

func (d *dialogs) OpenFile(context.Context, string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.open) == 0 {
		return "", nil
	}
	p := d.open[0]
	d.open = d.open[1:]
	return p, nil
}

func (d *dialogs) SaveFile(_ context.Context, _, name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return "", errors.New("no usable file name offered")
	}
	return filepath.Join(d.dir, name), nil
}
