package pull

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/medcode/medcode/coding/pull"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// renderPlan says on stderr what will be fetched and from where. It is a
// diagnostic, so it is plain text whatever the terminal.
func renderPlan(w io.Writer, p *pull.Plan) {
	updated := ""
	if p.CatalogUpdated != "" {
		updated = ", updated " + p.CatalogUpdated
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "medcode: warning: %s\n", cmdutil.WordHint(n))
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(w, "medcode: skipping %s: %s\n", s.Release, s.Reason)
		if s.Hint != "" {
			fmt.Fprintf(w, "hint: %s\n", cmdutil.WordHint(s.Hint))
		}
	}
	if len(p.Releases) == 0 {
		fmt.Fprintf(w, "medcode: nothing to fetch (catalogue: %s%s)\n", p.Catalog, updated)
		return
	}
	from := "the publishers"
	if p.From != "publishers" {
		from = "the mirror " + p.From
	}
	fmt.Fprintf(w, "medcode: pulling from %s into %s (catalogue: %s%s)\n", from, p.Cache, p.Catalog, updated)
	for _, r := range p.Releases {
		title := r.Title
		if title == "" {
			title = r.System
		}
		through := ""
		if r.Through != "" {
			through = " to " + r.Through
		}
		fmt.Fprintf(w, "  %s  %s, dates of service %s%s", r.Name, title, r.Effective, through)
		if !r.Load {
			fmt.Fprintf(w, " (kept in the cache, not loaded)")
		}
		fmt.Fprintln(w)
		for _, f := range r.Files {
			state := ""
			switch f.State {
			case pull.FileCached:
				state = " (in the cache)"
			case pull.FileResume:
				state = fmt.Sprintf(" (resuming after %d bytes)", f.Have)
			}
			size := ""
			if f.Size > 0 {
				size = ", " + cmdutil.HumanBytes(f.Size)
			}
			if f.SHA256 == "" {
				size += ", checksum unknown"
			}
			fmt.Fprintf(w, "    %s%s%s\n", f.Source, size, state)
		}
	}
}

// warn writes the load warnings of the releases the pull loaded to stderr.
func warn(w io.Writer, rep *pull.Report) {
	for _, r := range rep.Releases {
		if r.Load == nil {
			continue
		}
		for _, info := range r.Load.Releases {
			if info.ID != r.Name {
				continue
			}
			for _, msg := range info.Warnings {
				fmt.Fprintf(w, "medcode: warning: %s: %s\n", info.ID, msg)
			}
		}
	}
}

func render(w io.Writer, st iostreams.Styles, rep *pull.Report, dir string) {
	if len(rep.Plan.Releases) == 0 {
		var loaded []string
		for _, s := range rep.Plan.Skipped {
			if s.Reason == "already loaded" {
				loaded = append(loaded, s.Release)
			}
		}
		if len(loaded) > 0 {
			fmt.Fprintf(w, "up to date: %s already loaded\n", strings.Join(loaded, ", "))
		} else {
			fmt.Fprintln(w, "nothing pulled")
		}
		return
	}
	fmt.Fprintln(w, st.Heading.Render("files"))
	for _, f := range rep.Files {
		how := "from the cache"
		switch {
		case f.Resumed:
			how = "resumed from " + f.Source
		case f.Fetched:
			how = "fetched from " + f.Source
		}
		// "verified" only where the file was compared with the
		// catalogue's checksum: a size alone proves little.
		check := "verified: matches the catalogue's sha256"
		switch f.Verified {
		case "size":
			check = "checksum unknown: the catalogue has no sha256; the size matches"
		case "none":
			check = "checksum unknown: the catalogue has no size or sha256"
		}
		fmt.Fprintf(w, "  %s\n    %s, %s, sha256 %s %s\n", f.Path, how, cmdutil.HumanBytes(f.Size), f.SHA256, st.Dim.Render("("+check+")"))
		if f.Note != "" {
			fmt.Fprintf(w, "    %s\n", st.Dim.Render(f.Note))
		}
	}
	fmt.Fprintln(w, st.Heading.Render("releases"))
	for _, r := range rep.Releases {
		if !r.Loaded {
			fmt.Fprintf(w, "  %s %s\n", st.Code.Render(r.Name), st.Dim.Render(r.Note))
			continue
		}
		state := "loaded"
		if r.Load != nil {
			for _, id := range r.Load.Replaced {
				if id == r.Name {
					state = "reloaded"
				}
			}
		}
		counts := ""
		if r.Load != nil {
			for _, info := range r.Load.Releases {
				if info.ID != r.Name {
					continue
				}
				head, detail := cmdutil.ReleaseCounts(info)
				counts = head
				if detail != "" {
					counts += " (" + detail + ")"
				}
				if n := len(info.Warnings); n > 0 {
					counts += fmt.Sprintf(", %d warnings (on stderr)", n)
				}
			}
		}
		fmt.Fprintf(w, "  %s %s  %s\n", st.Code.Render(r.Name), st.Dim.Render(state), counts)
		if r.Note != "" {
			fmt.Fprintf(w, "    %s\n", st.Dim.Render(r.Note))
		}
	}
	fmt.Fprintf(w, "index: %s\n", dir)
}

func renderList(w io.Writer, s *pull.CatalogStatus) {
	updated := ""
	if s.CatalogUpdated != "" {
		updated = ", updated " + s.CatalogUpdated
	}
	fmt.Fprintf(w, "catalogue: %s%s; current as of %s\n", s.Catalog, updated, s.Date)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "release\teffective\tthrough\tfiles\tstatus\ttitle")
	for _, r := range s.Releases {
		var status []string
		if r.Current {
			status = append(status, "current")
		}
		if r.Loaded {
			status = append(status, "loaded")
		}
		switch {
		case r.Cached == len(r.Files):
			status = append(status, "cached")
		case r.Cached > 0:
			status = append(status, fmt.Sprintf("%d/%d cached", r.Cached, len(r.Files)))
		}
		if r.ClickThrough() {
			status = append(status, "click-through")
		}
		if !r.Loadable() {
			status = append(status, "not loadable")
		}
		if len(status) == 0 {
			status = append(status, "-")
		}
		through := r.Through
		if through == "" {
			through = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", r.Name, r.Effective, through, len(r.Files), strings.Join(status, ", "), r.Title)
	}
	tw.Flush()
	if len(s.Unlisted) > 0 {
		fmt.Fprintf(w, "loaded, not in the catalogue: %s\n", strings.Join(s.Unlisted, ", "))
	}
}
