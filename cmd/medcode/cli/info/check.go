package info

import (
	"errors"
	"fmt"
	"io"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// CheckReport is the JSON of `info --check --json`.
type CheckReport struct {
	DataDir    string              `json:"data_dir"`
	Generation string              `json:"generation"`
	OK         bool                `json:"ok"`
	Releases   []coding.IndexCheck `json:"releases"`
}

// runCheck verifies the live index file by file. A damaged release is an
// input failure: the report goes to stdout, the remedy to stderr, exit 2.
func runCheck(opts *Options, dir string) error {
	gen, checks, err := coding.CheckIndex(dir)
	if errors.Is(err, coding.ErrNotLoaded) {
		fmt.Fprintln(opts.IO.ErrOut, "medcode: no code tables loaded: nothing to check")
		checks = []coding.IndexCheck{}
		err = nil
	}
	if err != nil {
		return err
	}
	rep := CheckReport{DataDir: dir, Generation: gen, OK: true, Releases: checks}
	var damaged error
	for _, c := range checks {
		if c.Problem != "" {
			rep.OK = false
			if damaged == nil {
				damaged = coding.WithHint(fmt.Errorf("the index of %s is damaged: %s", c.Release, c.Problem), coding.DamagedHint)
			}
		}
	}
	if opts.JSON {
		err = cmdutil.WriteJSON(opts.IO.Out, rep)
	} else {
		renderCheck(opts.IO.Out, opts.IO.Styles(), &rep)
	}
	if err != nil {
		return err
	}
	if damaged != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: damaged}
	}
	return nil
}

func renderCheck(w io.Writer, st iostreams.Styles, rep *CheckReport) {
	fmt.Fprintf(w, "%s %s\n", st.Label.Render("data dir "), rep.DataDir)
	if rep.Generation != "" {
		fmt.Fprintf(w, "%s %s\n", st.Label.Render("generation"), rep.Generation)
	}
	for _, c := range rep.Releases {
		switch {
		case c.Problem != "":
			fmt.Fprintf(w, "%s  %s %s\n", st.Code.Render(c.Release), st.Warn.Render("damaged:"), c.Problem)
		case !c.Checked:
			fmt.Fprintf(w, "%s  not checked: loaded by an older medcode, which recorded no checksums (load it again to record them)\n", st.Code.Render(c.Release))
		default:
			fmt.Fprintf(w, "%s  ok: %d files, %s, checksums verified\n", st.Code.Render(c.Release), c.Files, cmdutil.HumanBytes(c.Bytes))
		}
	}
}
