package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// stageText is what each stage is called on screen.
var stageText = map[share.Stage]string{
	share.StageEncrypt:  "Encrypting and adding to IPFS",
	share.StageMetadata: "Writing metadata",
	share.StageApprove:  "Waiting for approval",
	share.StageConfirm:  "Waiting for the transaction to be mined",
	share.StageLocate:   "Looking up the dataset on chain",
	share.StageDownload: "Downloading from IPFS",
	share.StageDecrypt:  "Decrypting and verifying",
	share.StageWait:     "The owner's computer is not online; the download starts when it is",
}

// progress shows share.Progress on stderr: a redrawn bar on a terminal, one line per stage
// and every 10% otherwise.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	stage   share.Stage
	last    time.Time
	lastPct int
	drawn   bool
	// files and totalFiles count the files of a folder dataset (0 for a file).
	files, totalFiles int
}

// Files records how many files of a folder are done (shown with the bytes).
func (p *progress) Files(done, total int) {
	p.mu.Lock()
	p.files, p.totalFiles = done, total
	p.mu.Unlock()
}

// filesText is ", N/M files" for a folder, "" for a file.
func (p *progress) filesText() string {
	if p.totalFiles == 0 {
		return ""
	}
	return fmt.Sprintf(", %d/%d files", p.files, p.totalFiles)
}

func (c *cli) progress() *progress {
	tty := false
	if f, ok := c.stderr.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: c.stderr, tty: tty && !c.g.json}
}

func (p *progress) Stage(s share.Stage) {
	atStage(s)
	p.mu.Lock()
	defer p.mu.Unlock()
	if s == p.stage {
		return
	}
	p.endLine()
	p.stage, p.lastPct = s, -1
	if t, ok := stageText[s]; ok {
		if p.tty {
			fmt.Fprintf(p.w, "%s…", t)
			p.drawn = true
		} else {
			fmt.Fprintf(p.w, "%s\n", t)
		}
	}
}

func (p *progress) Bytes(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 {
		return
	}
	pct := int(done * 100 / total)
	if p.tty {
		if time.Since(p.last) < 100*time.Millisecond && done < total {
			return
		}
		p.last = time.Now()
		const width = 30
		fill := min(width, int(done*width/total))
		fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %3d%% %s / %s%s", stageText[p.stage], strings.Repeat("#", fill),
			strings.Repeat(".", width-fill), pct, humanSize(done), humanSize(total), p.filesText())
		p.drawn = true
		return
	}
	if pct/10 != p.lastPct/10 || (pct == 100 && p.lastPct != 100) {
		p.lastPct = pct
		fmt.Fprintf(p.w, "  %d%% (%s of %s%s)\n", pct, humanSize(done), humanSize(total), p.filesText())
	}
}

func (p *progress) endLine() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// finish ends a bar left on the screen.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLine()
}

func defaultDataDir() (string, error) { return config.DefaultDataDir() }
