package cli_test

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/medcode/medcode/cmd/medcode/cli"
	"github.com/medcode/medcode/codeset/officialtest"
)

// TestMain makes the test binary double as the medcode command: scripts run
// `medcode ...` as a real subprocess with its own environment, exit code and
// standard streams, exactly as a user would.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"medcode": func() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// repoRoot is the module root seen from this package's directory, where
// go test runs.
var repoRoot = filepath.Join("..", "..", "..")

// TestScripts runs the whole-CLI scripts in testdata/script. Each script gets:
//
//	MEDCODE_HOME  $WORK/home, a fresh data directory
//	NO_COLOR      1
//	FIXTURES      absolute path of testdata/cli (hand-written official-format excerpts)
//	DATA          the full official files: $MEDCODE_TEST_DATA (relative to the
//	              repository root) or ../shared/data beside the repository
//	NODATA        1 when DATA does not exist, for [env:NODATA] skip
//
// Besides the medcode command, scripts have `exits CODE PROG [ARGS...]`,
// which runs PROG like exec and fails unless it exits with CODE.
func TestScripts(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "cli"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fixtures); err != nil || !fi.IsDir() {
		t.Fatalf("fixture directory %s is missing", fixtures)
	}
	data, haveData := officialtest.Locate(t)

	// vars are the same for every script, so [env:NAME] can be answered
	// from them without the script's environment.
	vars := map[string]string{
		"NO_COLOR": "1",
		"FIXTURES": fixtures,
		"DATA":     data,
	}
	if !haveData {
		vars["NODATA"] = "1"
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("MEDCODE_HOME", filepath.Join(e.WorkDir, "home"))
			for k, v := range vars {
				e.Setenv(k, v)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			name, ok := strings.CutPrefix(cond, "env:")
			if !ok {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			return vars[name] != "", nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits": cmdExits,
			"mkzip": cmdMkzip,
		},
		RequireUniqueNames: true,
	})
}

// cmdExits runs a program like exec and checks its exit code, which `!`
// cannot: medcode exits 1 for a code not found and 2 for a usage or input
// failure, and scripts must tell them apart. stdout and stderr are kept for
// the assertions that follow.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: invalid code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdMkzip makes a zip: mkzip ARCHIVE FILE... (the files stored by base name).
func cmdMkzip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: mkzip ARCHIVE FILE...")
	}
	out := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(out), 0o755))
	f, err := os.Create(out)
	ts.Check(err)
	zw := zip.NewWriter(f)
	for _, name := range args[1:] {
		b, err := os.ReadFile(ts.MkAbs(name))
		ts.Check(err)
		w, err := zw.Create(filepath.Base(name))
		ts.Check(err)
		_, err = w.Write(b)
		ts.Check(err)
	}
	ts.Check(zw.Close())
	ts.Check(f.Close())
}
