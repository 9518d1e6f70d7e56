package batch

import (
	"context"
	"errors"
	"io"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/validate"
)

// Claim statuses of a batch result. The strings are part of the output.
const (
	StatusOK         = "ok"
	StatusFindings   = "findings"
	StatusUnreadable = "unreadable"
)

// Result is one input record's outcome, in input order. Field names
// are part of the JSON Lines output.
type Result struct {
	Seq      int                `json:"seq"`
	Source   string             `json:"source"`
	Position string             `json:"position"`
	ClaimID  string             `json:"claim_id"`
	Status   string             `json:"status"`
	Reason   string             `json:"reason,omitempty"`
	Errors   int                `json:"errors"`
	Warnings int                `json:"warnings"`
	Infos    int                `json:"infos"`
	Findings []validate.Finding `json:"findings"`
	// NotChecked names the edits that did not run on the claim (their
	// rule ids; the summary's not_checked says why).
	NotChecked []string `json:"not_checked,omitempty"`

	checks []validate.Check
}

// Summary totals a batch run. Field names are part of the JSON output.
type Summary struct {
	Claims       int            `json:"claims"`
	Clean        int            `json:"clean"`
	WithErrors   int            `json:"with_errors"`
	WithWarnings int            `json:"with_warnings"`
	Unreadable   int            `json:"unreadable"`
	ByRule       map[string]int `json:"findings_by_rule"`
	TopCodes     []CodeCount    `json:"top_codes"`
	// Checks are the edits that could not run (no NCCI table, ...), once,
	// and NotCheckedClaims how many claims each of them did not run on.
	Checks           []validate.Check `json:"not_checked,omitempty"`
	NotCheckedClaims map[string]int   `json:"not_checked_claims,omitempty"`
	// Read is what the reader read: lines (or segments), the records
	// they made and the lines in none, to set beside Claims, the results.
	Read claims.Tally `json:"read"`

	codes      map[string]int
	checks     map[string]validate.Check
	notChecked map[string]int
}

// CodeCount is how many findings name a code.
type CodeCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// Options tune a batch run.
type Options struct {
	Packs    []*validate.RulePack
	Settings validate.Settings
	// Workers is how many claims are validated at once; 0 means one per CPU.
	Workers int
}

// chunkSize is how many records travel together between the reader, the
// workers and the writer: enough to keep channel costs small, few enough
// that memory stays flat however long the input is.
const chunkSize = 256

// A chunk is the unit of work, and of memory: its records, results and
// findings live in its own slabs, which are reused for a later chunk once
// its results are written, so that a run of millions of claims allocates
// a few chunks' worth.
type chunk struct {
	seq     int
	records []*claims.Record
	results []Result
	found   claims.Slab[validate.Finding] // the findings of its results
	skipped claims.Slab[string]           // the edits not run on its claims
	// mem are the reader's slabs for its records, for a reader that
	// takes them (slabReader).
	mem *claims.ClaimSlabs
	sum *Summary // the chunk's totals, made by its worker
}

// recycle makes a written chunk ready for reuse.
func (c *chunk) recycle() {
	clear(c.records)
	clear(c.results)
	c.records, c.results, c.sum = c.records[:0], c.results[:0], nil
	c.found.Reset()
	c.skipped.Reset()
	if c.mem != nil {
		c.mem.Reset()
	}
}

// Stream validates every record a reader yields, on all cores,
// and hands the results to emit in input order. Memory is bounded by the
// records in flight, not by the input: emit must not keep a result, or
// its findings, once it returns, as their memory is reused for later
// claims. Every record gives exactly one result: an unreadable one is
// reported and the run goes on. An error from the reader (I/O) or from
// emit stops the run.
func Stream(ctx context.Context, cb *coding.Codebook, rd claims.Reader, opt Options, emit func(*Result) error) (*Summary, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *chunk, workers)
	done := make(chan *chunk, workers)
	// free holds written chunks for the reader to fill again.
	free := make(chan *chunk, 2*workers+4)
	readErr := make(chan error, 1)
	sr, _ := rd.(claims.SlabReader)
	go func() {
		defer close(jobs)
		seq := 0
		for {
			var c *chunk
			select {
			case c = <-free:
			default:
				c = &chunk{found: claims.Slab[validate.Finding]{Reusable: true}}
				if sr != nil {
					c.mem = claims.NewReusableSlabs()
				}
			}
			c.seq = seq
			if sr != nil {
				sr.CutFrom(c.mem)
			}
			var err error
			for len(c.records) < chunkSize {
				var r *claims.Record
				if r, err = rd.Next(); err != nil {
					break
				}
				c.records = append(c.records, r)
			}
			if len(c.records) > 0 {
				select {
				case jobs <- c:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
				seq++
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()
	workErr := make(chan error, workers)
	// Each worker counts its findings by rule and code over the whole run,
	// and hands the counts over at the end.
	totals := make(chan *Summary, workers)
	finished := make(chan struct{})
	// The workers share the records of the codes they meet.
	shared := &validate.SharedTables{}
	go func() {
		defer close(finished)
		var wait = make(chan struct{}, workers)
		for w := 0; w < workers; w++ {
			go func() {
				defer func() { wait <- struct{}{} }()
				// A validator per worker: its own caches need no
				// locking against the others'.
				v := validate.NewShared(cb, opt.Packs, opt.Settings, shared)
				var rep validate.Report
				t := tally{findings: newSummary(), sealed: map[*byte]int{}}
				defer func() { totals <- t.findings }()
				for c := range jobs {
					c.results = slices.Grow(c.results[:0], len(c.records))[:len(c.records)]
					t.sum = &Summary{checks: map[string]validate.Check{}, notChecked: map[string]int{}}
					for i, r := range c.records {
						res := &c.results[i]
						if err := validateRecord(v, &rep, res, r, &c.found, &c.skipped); err != nil {
							workErr <- err
							cancel()
							return
						}
						t.add(res)
					}
					c.sum = t.done()
					select {
					case done <- c:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		for w := 0; w < workers; w++ {
			<-wait
		}
		close(done)
	}()

	sum := newSummary()
	pending := map[int]*chunk{}
	next := 0
	var emitErr error
	// last is the chunk written last: a reader that groups rows into
	// claims cuts a claim's first row before it hands over the claim
	// before, from the slabs of that claim's chunk, so a chunk is reused
	// only once the chunk after it is written.
	var last *chunk
	for c := range done {
		if emitErr != nil {
			continue
		}
		pending[c.seq] = c
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			sum.merge(p.sum)
			for i := range p.results {
				if err := emit(&p.results[i]); err != nil {
					emitErr = err
					cancel()
					break
				}
			}
			if last != nil {
				last.recycle()
				select {
				case free <- last:
				default:
				}
			}
			last = p
		}
	}
	<-finished
	select {
	case err := <-workErr:
		return nil, err
	default:
	}
	if emitErr != nil {
		return nil, emitErr
	}
	if err := <-readErr; err != nil {
		return nil, err
	}
	if t, ok := rd.(claims.Tallier); ok {
		sum.Read = t.Tally()
	}
	for w := 0; w < workers; w++ {
		sum.merge(<-totals)
	}
	sum.finish()
	return sum, nil
}

// validateRecord validates one record into its batch result, its findings
// kept in found; rep is the worker's report, reused from claim to claim.
func validateRecord(v *validate.Validator, rep *validate.Report, res *Result, r *claims.Record, found *claims.Slab[validate.Finding], skipped *claims.Slab[string]) error {
	*res = Result{Seq: r.Seq, Source: r.Source, Position: r.Pos, ClaimID: r.ID, Findings: []validate.Finding{}}
	if r.Err != nil || r.Claim == nil {
		res.Status = StatusUnreadable
		if r.Err != nil {
			res.Reason = r.Err.Error()
		}
		return nil
	}
	if res.ClaimID == "" {
		res.ClaimID = r.Claim.ID
	}
	*rep = validate.Report{Findings: found.Room(64), Checks: rep.Checks[:0]}
	if err := v.Check(rep, r.Claim); err != nil {
		return err
	}
	res.Findings, res.Errors, res.Warnings, res.Infos = found.Keep(rep.Findings), rep.Errors, rep.Warnings, rep.Infos
	res.Status = StatusOK
	if rep.Errors+rep.Warnings > 0 {
		res.Status = StatusFindings
	}
	// The validator reuses its checks: the worker totals them before the
	// next claim.
	res.checks = rep.Checks
	not := skipped.Room(len(rep.Checks))
	for _, c := range rep.Checks {
		if !c.Checked && !slices.Contains(not, c.Rule) {
			not = append(not, c.Rule)
		}
	}
	if len(not) > 0 {
		res.NotChecked = skipped.Keep(not)
	}
	return nil
}

// NewSummary is an empty summary, for totalling several runs with Merge.
func NewSummary() *Summary { return newSummary() }

// Merge adds another run's totals, as of the whole of both runs (the
// top codes are counted over every code, not over each run's top ten).
func (s *Summary) Merge(o *Summary) {
	s.merge(o)
	s.TopCodes, s.Checks, s.NotCheckedClaims = nil, nil, nil
	s.finish()
}

func newSummary() *Summary {
	return &Summary{ByRule: map[string]int{}, codes: map[string]int{}, checks: map[string]validate.Check{}, notChecked: map[string]int{}}
}

// tally totals a worker's results: the claims of a chunk, whose summaries
// are added up in input order, and its findings by rule and code over all
// its chunks, which add up in any order. Counting the findings of each
// chunk apart filled and emptied a map of thousands of codes a chunk when
// claims name thousands. Most findings are sealed, and copies of a sealed
// finding share its JSON, whose address therefore names it: they are
// counted by that address and added up by rule and code once a chunk.
// Hashing every finding's rule and codes was a twentieth of a batch run.
type tally struct {
	sum      *Summary      // the chunk's claims and checks
	findings *Summary      // the worker's findings by rule and code
	sealed   map[*byte]int // index in counts
	counts   []sealedCount
}

type sealedCount struct {
	f *validate.Finding // one of the copies, in a result of the chunk
	n int
}

func (t *tally) add(r *Result) {
	s := t.sum
	s.Claims++
	switch {
	case r.Status == StatusUnreadable:
		s.Unreadable++
	case r.Errors > 0:
		s.WithErrors++
	case r.Warnings > 0:
		s.WithWarnings++
	default:
		s.Clean++
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		enc := f.Sealed()
		if len(enc) == 0 {
			t.findings.addFinding(f, 1)
			continue
		}
		if k, ok := t.sealed[&enc[0]]; ok {
			t.counts[k].n++
			continue
		}
		t.sealed[&enc[0]] = len(t.counts)
		t.counts = append(t.counts, sealedCount{f, 1})
	}
	for _, c := range r.checks {
		if !c.Checked {
			if _, ok := s.checks[c.Rule]; !ok {
				s.checks[c.Rule] = c
			}
		}
	}
	for _, rule := range r.NotChecked {
		s.notChecked[rule]++
	}
	r.checks = nil
}

// done returns the chunk's totals.
func (t *tally) done() *Summary {
	for _, c := range t.counts {
		t.findings.addFinding(c.f, c.n)
	}
	clear(t.sealed)
	clear(t.counts)
	t.counts = t.counts[:0]
	s := t.sum
	t.sum = nil
	return s
}

func (s *Summary) addFinding(f *validate.Finding, n int) {
	s.ByRule[f.Rule] += n
	for _, c := range f.Codes {
		if _, ok := s.codes[c]; !ok {
			c = strings.Clone(c) // a claim's code may hold on to its input line
		}
		s.codes[c] += n
	}
}

// merge adds a chunk's totals.
func (s *Summary) merge(o *Summary) {
	s.Claims += o.Claims
	s.Clean += o.Clean
	s.WithErrors += o.WithErrors
	s.WithWarnings += o.WithWarnings
	s.Unreadable += o.Unreadable
	s.Read.Add(o.Read)
	for k, v := range o.ByRule {
		s.ByRule[k] += v
	}
	for k, v := range o.codes {
		s.codes[k] += v
	}
	for k, v := range o.checks {
		if _, ok := s.checks[k]; !ok {
			s.checks[k] = v
		}
	}
	for k, v := range o.notChecked {
		s.notChecked[k] += v
	}
}

// topCodes is how many codes the summary names.
const topCodes = 10

func (s *Summary) finish() {
	checks := s.checks
	for c, n := range s.codes {
		s.TopCodes = append(s.TopCodes, CodeCount{c, n})
	}
	sort.Slice(s.TopCodes, func(i, j int) bool {
		a, b := s.TopCodes[i], s.TopCodes[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Code < b.Code
	})
	if len(s.TopCodes) > topCodes {
		s.TopCodes = s.TopCodes[:topCodes]
	}
	s.TopCodes = append([]CodeCount{}, s.TopCodes...)
	rules := make([]string, 0, len(checks))
	for r := range checks {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for _, r := range rules {
		s.Checks = append(s.Checks, checks[r])
	}
	if len(s.notChecked) > 0 {
		s.NotCheckedClaims = maps.Clone(s.notChecked)
	}
}
