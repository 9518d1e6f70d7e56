package load

import (
	"fmt"
	"io"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// warn writes the warnings of the releases this load changed to stderr:
// they are diagnostics, and a kept release's were shown when it was loaded.
func warn(w io.Writer, rep *coding.LoadReport) {
	changed := map[string]bool{}
	for _, id := range append(append([]string(nil), rep.Added...), rep.Replaced...) {
		changed[id] = true
	}
	for _, r := range rep.Releases {
		if !changed[r.ID] {
			continue
		}
		for _, msg := range r.Warnings {
			fmt.Fprintf(w, "medcode: warning: %s: %s\n", r.ID, msg)
		}
	}
}

func render(w io.Writer, st iostreams.Styles, rep *coding.LoadReport, dir string) {
	fmt.Fprintln(w, st.Heading.Render("files"))
	for _, f := range rep.Files {
		year := ""
		if f.Year != 0 {
			year = fmt.Sprintf(" %d", f.Year)
		}
		fmt.Fprintf(w, "  %s\n    %s%s, %d records", f.Path, f.Kind.Describe(), year, f.Records)
		if f.Release != "" {
			fmt.Fprintf(w, " -> %s", f.Release)
		}
		if f.Note != "" {
			fmt.Fprintf(w, " %s", st.Dim.Render("("+f.Note+")"))
		}
		fmt.Fprintln(w)
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintln(w, st.Heading.Render("skipped"))
		for _, s := range rep.Skipped {
			fmt.Fprintf(w, "  %s %s\n", s.Path, st.Dim.Render("("+s.Reason+")"))
		}
	}
	fmt.Fprintln(w, st.Heading.Render("releases"))
	state := map[string]string{}
	for _, id := range rep.Added {
		state[id] = "added"
	}
	for _, id := range rep.Replaced {
		state[id] = "replaced"
	}
	for _, id := range rep.Kept {
		state[id] = "kept"
	}
	for _, r := range rep.Releases {
		counts, detail := cmdutil.ReleaseCounts(r)
		if detail != "" {
			counts += " (" + detail + ")"
		}
		if r.System == "icd10cm" {
			counts += fmt.Sprintf(", %d with notes, %d index entries", r.Notes, r.Terms)
		}
		fmt.Fprintf(w, "  %s %s  %s", st.Code.Render(r.ID), st.Dim.Render(state[r.ID]), counts)
		if n := len(r.Warnings); n > 0 && state[r.ID] != "kept" {
			plural := "s"
			if n == 1 {
				plural = ""
			}
			fmt.Fprintf(w, ", %d warning%s (on stderr)", n, plural)
		}
		fmt.Fprintln(w)
	}
	for _, id := range rep.Dropped {
		fmt.Fprintf(w, "  %s %s\n", st.Code.Render(id), st.Dim.Render("dropped (--replace)"))
	}
	fmt.Fprintf(w, "index: %s\n", dir)
}
