package api

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/datashare/datashare/backend/approval"
)

// program names DataShare in a hello; anything else on the socket is not DataShare.
const program = "DataShare"

// maxMessage bounds one message (a line); a longer one is an error, not a buffer that grows.
const maxMessage = 4 << 20

// Message types (the field t).
const (
	tHello   = "hello"   // both sides, first: program, api, version (and the server's data dir)
	tCall    = "call"    // client: method, args, confirm (whether it can answer prompts)
	tStage   = "stage"   // server: stage
	tBytes   = "bytes"   // server: done, total
	tConfirm = "confirm" // server: id, summary; the client answers with tAnswer
	tAnswer  = "answer"  // client: id, ok or error
	tPhone   = "phone"   // server: summary (a transaction went to the phone)
	tCancel  = "cancel"  // client: stop the call
	tResult  = "result"  // server: result; the call is over
	tError   = "error"   // server: error; the call (or the connection) is over
)

// message is every message of the protocol; t says which fields are set.
type message struct {
	T string `json:"t"`

	Program string `json:"program,omitempty"`
	API     int    `json:"api,omitempty"`
	Version string `json:"version,omitempty"`
	DataDir string `json:"dataDir,omitempty"`

	Method  string          `json:"method,omitempty"`
	Args    json.RawMessage `json:"args,omitempty"`
	Confirm bool            `json:"confirm,omitempty"`

	Stage string `json:"stage,omitempty"`
	Done  int64  `json:"done,omitempty"`
	Total int64  `json:"total,omitempty"`

	ID      uint64            `json:"id,omitempty"`
	Summary *approval.Summary `json:"summary,omitempty"`
	OK      bool              `json:"ok,omitempty"`

	Result json.RawMessage `json:"result,omitempty"`
	Error  *wireError      `json:"error,omitempty"`
}

// programVersion is this build's version, for hellos (informational only).
var programVersion = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "unknown"
}()

func hello(dataDir string) message {
	return message{T: tHello, Program: program, API: Version, Version: programVersion, DataDir: dataDir}
}

// errGarbage: a message that is not one of the protocol.
var errGarbage = errors.New("not a DataShare message")

// reader reads messages, one per line.
type reader struct{ br *bufio.Reader }

func newReader(r io.Reader) *reader { return &reader{bufio.NewReaderSize(r, 64<<10)} }

// next reads one message. io.EOF means the peer closed the connection between messages.
func (r *reader) next() (message, error) {
	var line []byte
	for {
		chunk, isPrefix, err := r.br.ReadLine()
		if err != nil {
			if err == io.EOF && len(line) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return message{}, err
		}
		line = append(line, chunk...)
		if len(line) > maxMessage {
			return message{}, fmt.Errorf("%w: a message longer than %d bytes", errGarbage, maxMessage)
		}
		if !isPrefix {
			break
		}
	}
	var m message
	if err := json.Unmarshal(line, &m); err != nil || m.T == "" {
		return message{}, fmt.Errorf("%w: %q", errGarbage, abbreviate(line))
	}
	return m, nil
}

// abbreviate keeps the start of what a peer sent, for an error message.
func abbreviate(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

// encode writes one message as a line.
func encode(w io.Writer, m message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
