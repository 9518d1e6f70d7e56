package pull

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"time"

	"github.com/medcode/medcode/coding/pull"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/codeset"
)

// Options are the inputs of `pull`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Release         string
	HCPCS           string
	List            bool
	Catalog         string
	From            string
	DryRun          bool
	JSON            bool
	IncludeLicensed bool

	// Client and Now replace the HTTP client and the clock in tests; nil
	// means coding.NewClient() and time.Now.
	Client *http.Client
	Now    func() time.Time
}

// NewCmdPull builds the command.
func NewCmdPull(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "pull",
		Short: "Fetch the official releases and load them",
		Long: `Fetch the current official releases from CMS and CDC, or from a mirror, and
load them: the ICD-10-CM code descriptions and the Tabular and Index zips,
and the quarterly HCPCS alpha-numeric file. This is the only medcode
command that uses the network.

Without --release or --hcpcs, pull takes for each code set the release in
effect today that is not loaded yet. A catalogue built into medcode says
where each file is published, and its size and sha256 where known;
--catalog FILE reads a newer one written the same way (see --list).

Before fetching, pull says on stderr what it will fetch and from where;
--dry-run stops there. The archives are kept in <data-dir>/cache: an
interrupted download resumes from its .part file on the next pull, and a
file whose size or checksum does not match the catalogue is deleted. A
file is "verified" only when its sha256 was compared with the catalogue's;
the plan marks the files whose checksum the catalogue lacks "checksum
unknown". The index is loaded only when every file of a release is
complete and matches what the catalogue knows of it, so a failed pull
leaves the previous index answering.

Releases whose publisher wants a licence accepted first (the NCCI PTP
edits, behind the AMA's CPT licence) are skipped unless --include-licensed.

--from pulls from a mirror instead: a folder, or an http(s) URL, holding
each file at the catalogue's mirror path (icd10cm/2026/<file>.zip).`,
		Example: `  medcode pull --dry-run
  medcode pull
  medcode pull --release 2026 --hcpcs 2026-01
  medcode pull --list
  medcode pull --from /mnt/medcode-mirror
  medcode pull --from https://mirror.example.org/medcode --catalog catalog-2027.yaml`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := check(opts); err != nil {
				return err
			}
			return runPull(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Release, "release", "", "ICD-10-CM release to pull (2026, 2026-04), or any release name of --list")
	cmd.Flags().StringVar(&opts.HCPCS, "hcpcs", "", "HCPCS quarter to pull (2026-01, 2026-04)")
	cmd.Flags().BoolVar(&opts.List, "list", false, "list the releases of the catalogue and which are loaded")
	cmd.Flags().StringVar(&opts.Catalog, "catalog", "", "catalogue `FILE` to use instead of the built-in one")
	cmd.Flags().StringVar(&opts.From, "from", "", "mirror to pull from: a folder or an http(s) URL (`DIR|URL`)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "only say what would be fetched, and from where")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write the plan (--dry-run), the list (--list) or the result as JSON")
	cmd.Flags().BoolVar(&opts.IncludeLicensed, "include-licensed", false, "also try releases published behind a licence click-through")
	return cmd
}

var quarterRe = regexp.MustCompile(`^(?i:hcpcs-)?[0-9]{4}(-[0-9]{2})?$`)

func check(opts *Options) error {
	if opts.List {
		for flag, set := range map[string]bool{"--release": opts.Release != "", "--hcpcs": opts.HCPCS != "", "--from": opts.From != "", "--dry-run": opts.DryRun, "--include-licensed": opts.IncludeLicensed} {
			if set {
				return cmdutil.FlagErrorf("--list cannot be combined with %s", flag)
			}
		}
	}
	if opts.HCPCS != "" && !quarterRe.MatchString(opts.HCPCS) {
		return cmdutil.FlagErrorf("invalid --hcpcs %q: want a quarter such as 2026-01 or 2026-04", opts.HCPCS)
	}
	return nil
}

func runPull(opts *Options) error {
	dir, err := opts.Factory.ResolveDataDir()
	if err != nil {
		return err
	}
	req := pull.Request{
		Release:         opts.Release,
		HCPCS:           opts.HCPCS,
		From:            opts.From,
		IncludeLicensed: opts.IncludeLicensed,
		Client:          opts.Client,
		Now:             opts.Now,
	}
	if opts.Catalog != "" {
		if req.Catalog, err = codeset.ReadCatalog(opts.Catalog); err != nil {
			return err
		}
	}

	if opts.List {
		st, err := pull.List(dir, req)
		if err != nil {
			return err
		}
		if opts.JSON {
			return cmdutil.WriteJSON(opts.IO.Out, st)
		}
		renderList(opts.IO.Out, st)
		return nil
	}

	if opts.DryRun {
		plan, err := pull.NewPlan(dir, req)
		if err != nil {
			return err
		}
		renderPlan(opts.IO.ErrOut, plan)
		fmt.Fprintln(opts.IO.ErrOut, "medcode: dry run: nothing was fetched")
		if opts.JSON {
			for i := range plan.Notes {
				plan.Notes[i] = cmdutil.WordHint(plan.Notes[i])
			}
			for i := range plan.Skipped {
				plan.Skipped[i].Hint = cmdutil.WordHint(plan.Skipped[i].Hint)
			}
			return cmdutil.WriteJSON(opts.IO.Out, plan)
		}
		return nil
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	prog := cmdutil.NewProgress(opts.IO)
	req.OnPlan = func(p *pull.Plan) { renderPlan(opts.IO.ErrOut, p) }
	req.Progress = func(ev pull.DownloadProgress) {
		prog.Bytes(ev.Release+"/"+ev.File, shorten(ev.File, 40), ev.Done, ev.Total)
	}
	req.LoadProgress = prog.Stage
	rep, err := pull.Run(ctx, dir, req)
	prog.Finish()
	if err != nil {
		return err
	}
	warn(opts.IO.ErrOut, rep)
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	}
	render(opts.IO.Out, opts.IO.Styles(), rep, dir)
	return nil
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return fmt.Sprintf("%-*s", n, s)
	}
	return s[:n-3] + "..."
}
