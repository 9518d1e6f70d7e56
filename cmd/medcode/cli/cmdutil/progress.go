package cmdutil

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// Progress draws one bar per stage of a long job on stderr, and nothing
// when stderr is not a terminal, so piped and scripted runs stay quiet.
type Progress struct {
	w   io.Writer
	tty bool
	key string
	bar *progressbar.ProgressBar
}

// NewProgress draws on the streams' stderr.
func NewProgress(io *iostreams.IOStreams) *Progress {
	return &Progress{w: io.ErrOut, tty: io.IsStderrTTY()}
}

// Stage shows a load's advance: a bar per stage, counting items.
func (p *Progress) Stage(ev coding.Progress) {
	if !p.tty {
		return
	}
	if ev.Stage != p.key {
		total := ev.Total
		if total <= 0 {
			total = -1
		}
		p.start(ev.Stage, progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(fmt.Sprintf("%-22s", ev.Stage)),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionShowCount(),
		))
	}
	if ev.Total > 0 {
		p.bar.ChangeMax(ev.Total)
		p.bar.Set(ev.Done)
	}
}

// Bytes shows a download's advance; key tells one download from the next.
func (p *Progress) Bytes(key, label string, done, total int64) {
	if !p.tty {
		return
	}
	if key != p.key {
		p.start(key, progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowBytes(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		))
	}
	if total > 0 {
		p.bar.ChangeMax64(total)
	}
	p.bar.Set64(done)
}

func (p *Progress) start(key string, bar *progressbar.ProgressBar) {
	p.Finish()
	p.key, p.bar = key, bar
}

// Finish clears the current bar.
func (p *Progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.key = ""
}
