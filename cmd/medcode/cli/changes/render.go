package changes

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding/changes"
)

var groupTitles = map[changes.Kind]string{
	changes.Added:          "added",
	changes.Deleted:        "deleted",
	changes.Revised:        "revised",
	changes.BecameHeader:   "billable -> header",
	changes.BecameBillable: "header -> billable",
	changes.Discontinued:   "discontinued",
	changes.Changed:        "changed",
	changes.Reactivated:    "reactivated",
}

// kinds is the order of the groups, the system's own kinds only.
func kinds(rep *changes.Report) []changes.Kind {
	var out []changes.Kind
	for _, k := range []changes.Kind{changes.Added, changes.Deleted, changes.Discontinued, changes.Revised, changes.Changed,
		changes.BecameHeader, changes.BecameBillable, changes.Reactivated} {
		if _, ok := rep.Counts[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

func heading(rep *changes.Report) string {
	s := rep.ToName
	if rep.FromName != "" {
		s = rep.FromName + " -> " + rep.ToName
	}
	if rep.Code != "" {
		s += ", " + rep.Code + " and below"
	}
	return s
}

func renderGrouped(w io.Writer, st iostreams.Styles, rep *changes.Report) {
	fmt.Fprintln(w, st.Heading.Render(heading(rep)))
	var counts []string
	for _, k := range kinds(rep) {
		counts = append(counts, fmt.Sprintf("%d %s", rep.Counts[k], groupTitles[k]))
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(counts, ", "))
	if a := rep.Addenda; a != nil {
		fmt.Fprintf(w, "  %s codes: %d additions, %d deletions, %d revisions; headers: %d additions, %d deletions, %d revisions\n",
			st.Label.Render("as CMS's addenda count them:"), a.Codes.Additions, a.Codes.Deletions, a.Codes.Revisions,
			a.Headers.Additions, a.Headers.Deletions, a.Headers.Revisions)
	}
	for _, k := range kinds(rep) {
		if rep.Counts[k] == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", st.Title.Render(groupTitles[k]), rep.Counts[k])
		for _, c := range rep.Changes {
			if c.Change != k {
				continue
			}
			fmt.Fprintf(w, "  %s  %s%s\n", st.Code.Render(pad(c.Code, 8)), c.Title, st.Dim.Render(suffix(c)))
			if c.OldTitle != "" {
				fmt.Fprintf(w, "  %s  %s %s\n", pad("", 8), st.Label.Render("was"), c.OldTitle)
			}
			if c.OldShort != "" {
				fmt.Fprintf(w, "  %s  %s %s\n", pad("", 8), st.Label.Render("short was"), c.OldShort)
				fmt.Fprintf(w, "  %s  %s %s\n", pad("", 8), st.Label.Render("short now"), c.Short)
			}
		}
	}
}

// suffix says what a row alone would not: a header, an HCPCS date.
func suffix(c changes.Change) string {
	var parts []string
	if c.Kind == "header" || c.Kind == "modifier" {
		parts = append(parts, c.Kind)
	}
	if c.Effective != "" {
		parts = append(parts, "action "+c.Action+" from "+c.Effective)
	}
	if c.Terminated != "" {
		parts = append(parts, "terminated "+c.Terminated)
	}
	if len(parts) == 0 {
		return ""
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// writeRows is the piped form: one tab-separated row per change.
func writeRows(w io.Writer, rep *changes.Report) {
	for _, c := range rep.Changes {
		last := c.OldTitle
		if rep.System == "hcpcs" {
			last = c.Effective
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", c.Change, c.Code, c.Kind, c.Title, last)
	}
}

func writeCSV(w io.Writer, rep *changes.Report) error {
	cw := csv.NewWriter(w)
	if rep.System == "hcpcs" {
		cw.Write([]string{"change", "code", "kind", "title", "short_title", "action", "action_meaning", "effective", "terminated"})
		for _, c := range rep.Changes {
			cw.Write([]string{string(c.Change), c.Code, c.Kind, c.Title, c.Short, c.Action, c.ActionMeaning, c.Effective, c.Terminated})
		}
	} else {
		cw.Write([]string{"change", "code", "kind", "title", "short_title", "old_kind", "old_title", "old_short_title"})
		for _, c := range rep.Changes {
			cw.Write([]string{string(c.Change), c.Code, c.Kind, c.Title, c.Short, c.OldKind, c.OldTitle, c.OldShort})
		}
	}
	cw.Flush()
	return cw.Error()
}
