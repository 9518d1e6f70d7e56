package coding

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// LoadRequest is what `medcode load` asks for.
type LoadRequest struct {
	Paths []string
	// Release names the release of files whose names carry no year.
	Release string
	Replace bool
	// Progress, when set, is told of each file parsed and each build stage.
	Progress func(index.Progress)
}

// LoadedFile is one recognised file as the load report shows it.
type LoadedFile struct {
	Path    string       `json:"file"`
	Kind    codeset.Kind `json:"kind"`
	Year    int          `json:"year,omitempty"`
	Release string       `json:"release,omitempty"`
	Records int          `json:"records"`
	// Note says why a recognised file was not used (an addenda file, a
	// duplicate of another file).
	Note string `json:"note,omitempty"`
}

// LoadReport says what a load found and changed.
type LoadReport struct {
	Files    []LoadedFile         `json:"files"`
	Skipped  []codeset.Skipped    `json:"skipped"`
	Added    []string             `json:"added"`
	Replaced []string             `json:"replaced"`
	Kept     []string             `json:"kept"`
	Dropped  []string             `json:"dropped"`
	Releases []*index.ReleaseInfo `json:"releases"`
}

// Load recognises, parses and indexes official files. Nothing changes in the
// data directory unless every file parses and the build succeeds.
func Load(dataDir string, req LoadRequest) (*LoadReport, error) {
	srcs, skipped, err := codeset.Scan(req.Paths)
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, nothingFound(req.Paths, skipped)
	}
	var override *codeset.Release
	if req.Release != "" {
		sys := codeset.ICD10CM
		for _, s := range srcs {
			if s.Kind == codeset.KindHCPCS {
				sys = codeset.HCPCS
			}
		}
		r, err := codeset.ParseRelease(sys, req.Release)
		if err != nil {
			return nil, err
		}
		override = &r
	}
	files := make([]*codeset.File, len(srcs))
	for i, src := range srcs {
		if files[i], err = codeset.Identify(src, override); err != nil {
			return nil, err
		}
	}
	var existing []codeset.Release
	if !req.Replace {
		if ix, err := index.Open(dataDir); err == nil {
			for _, r := range ix.Manifest.Releases {
				existing = append(existing, r.Release)
			}
			ix.Close()
		} else if !errors.Is(err, index.ErrNotLoaded) {
			return nil, err
		}
	}
	bundles, err := codeset.Group(files, existing)
	if err != nil {
		return nil, err
	}
	if len(bundles) == 0 {
		return nil, Errorf("load an order file or an HCPCS file", "nothing to load: the files recognised add nothing to a code table")
	}
	err = parseUsed(bundles, func(done, total int) {
		if req.Progress != nil {
			req.Progress(index.Progress{Stage: "parse", Done: done, Total: total, Bytes: true})
		}
	})
	if err != nil {
		return nil, err
	}
	described := describeFiles(files, bundles)
	res, err := index.Load(dataDir, bundles, index.LoadOptions{Replace: req.Replace, Progress: req.Progress})
	if err != nil {
		return nil, err
	}
	// Empty lists stay lists in the JSON: scripts should not meet null.
	orEmpty := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	if skipped == nil {
		skipped = []codeset.Skipped{}
	}
	return &LoadReport{Files: described, Skipped: skipped, Added: orEmpty(res.Added), Replaced: orEmpty(res.Replaced),
		Kept: orEmpty(res.Kept), Dropped: orEmpty(res.Dropped), Releases: res.Manifest.Releases}, nil
}

func nothingFound(paths []string, skipped []codeset.Skipped) error {
	var b strings.Builder
	fmt.Fprintf(&b, "no official code files found in %s", strings.Join(paths, ", "))
	for i, s := range skipped {
		if i == 5 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(skipped)-5)
			break
		}
		fmt.Fprintf(&b, "\n  %s: %s", s.Path, s.Reason)
	}
	return WithHint(errors.New(b.String()), "medcode reads the ICD-10-CM order, codes, Tabular and Index XML files and the HCPCS alpha-numeric file, or the zips CMS and CDC publish them in")
}

// describeFiles tells, for each parsed file, which release it went to.
func describeFiles(files []*codeset.File, bundles []*codeset.Bundle) []LoadedFile {
	used := map[*codeset.File][]string{}
	for _, b := range bundles {
		if b.Table != nil {
			used[b.Table] = append(used[b.Table], b.Release.ID())
		}
		if b.Extra != nil {
			used[b.Extra] = append(used[b.Extra], b.Release.ID())
		}
		for _, f := range b.Supplements {
			used[f] = append(used[f], b.Release.ID())
		}
		for _, f := range b.Edits {
			used[f] = append(used[f], b.Release.ID())
		}
	}
	out := make([]LoadedFile, 0, len(files))
	for _, f := range files {
		lf := LoadedFile{Path: f.Source.Path, Kind: f.Source.Kind, Year: f.Year, Records: f.Records}
		switch rels := used[f]; {
		case len(rels) > 0:
			lf.Release = strings.Join(rels, ",")
		case f.Source.Kind == codeset.KindAddenda:
			lf.Note = "changes list: the full code table of the same release holds them"
		default:
			lf.Note = "not read: another file of the same kind fits the release better"
		}
		out = append(out, lf)
	}
	return out
}

// parseUsed parses the files the bundles use, on all cores, biggest first
// so the cores finish together.
func parseUsed(bundles []*codeset.Bundle, progress func(done, total int)) error {
	seen := map[*codeset.File]bool{}
	var todo []*codeset.File
	total := 0
	for _, b := range bundles {
		for _, f := range b.Files() {
			if !seen[f] {
				seen[f] = true
				todo = append(todo, f)
				total += int(f.Source.Size)
			}
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].Source.Size > todo[j].Source.Size })
	errs := make([]error, len(todo))
	work := make(chan int)
	var wg sync.WaitGroup
	// Progress is by bytes read, told every 256 KiB: a few large files
	// make most of a load, and a count of files stands still on them.
	var mu sync.Mutex
	done, told := 0, 0
	read := func(n int) {
		mu.Lock()
		defer mu.Unlock()
		done += n
		if progress != nil && (done-told >= 256<<10 || done >= total) {
			told = done
			progress(done, total)
		}
	}
	if progress != nil {
		progress(0, total)
	}
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = todo[i].ParseCounting(read)
			}
		}()
	}
	for i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()
	// Report the first failure in file order, so the message is stable.
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
