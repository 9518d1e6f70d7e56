package cmdutil

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// Progress draws one bar per stage of a long job on stderr, and nothing
// when stderr is not a terminal, so piped and scripted runs stay quiet.
// A stage's bar carries the job's elapsed time, which keeps running while
// a stage has nothing to count (a merge, a write).
type Progress struct {
	w   io.Writer
	tty bool
	key string
	bar *progressbar.ProgressBar

	mu     sync.Mutex
	start0 time.Time
	label  string
	stop   chan struct{}
}

// NewProgress draws on the streams' stderr.
func NewProgress(io *iostreams.IOStreams) *Progress {
	return &Progress{w: io.ErrOut, tty: io.IsStderrTTY()}
}

// Stage shows a load's advance: a bar per stage, counting items or bytes.
func (p *Progress) Stage(ev coding.Progress) {
	if !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop == nil {
		p.start0 = time.Now()
		p.stop = make(chan struct{})
		go p.tick(p.stop)
	}
	if ev.Stage != p.key {
		total := int64(ev.Total)
		if total <= 0 {
			total = -1
		}
		p.label = fmt.Sprintf("%-22s", ev.Stage)
		p.start(ev.Stage, progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.describe()),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionShowCount(),
			progressbar.OptionShowBytes(ev.Bytes),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionThrottle(100*time.Millisecond),
		))
	}
	if ev.Total > 0 {
		p.bar.ChangeMax64(int64(ev.Total))
		p.bar.Set64(int64(ev.Done))
	}
}

// describe is the stage's label with the job's elapsed time.
func (p *Progress) describe() string {
	return fmt.Sprintf("%6s %s", time.Since(p.start0).Truncate(100*time.Millisecond).String(), p.label)
}

// tick redraws the bar with the clock running until stop closes.
func (p *Progress) tick(stop chan struct{}) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.bar != nil && p.label != "" {
				p.bar.Describe(p.describe())
			}
			p.mu.Unlock()
		}
	}
}

// Bytes shows a download's advance; key tells one download from the next.
func (p *Progress) Bytes(key, label string, done, total int64) {
	if !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if key != p.key {
		p.label = "" // a download's bar shows its own time
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
	label := p.label
	p.finishBar()
	p.key, p.bar, p.label = key, bar, label
	// A bar without a measure draws only when told to.
	bar.RenderBlank()
}

// Finish clears the current bar and stops the clock.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	p.finishBar()
}

func (p *Progress) finishBar() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.key, p.label = "", ""
}
