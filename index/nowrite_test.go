package index

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The child side of the subprocess tests below: with MEDCODE_LOAD_CHILD
// set to a data directory, it loads the fixtures there and reports the
// outcome on stdout; with MEDCODE_LOAD_FOREVER, again and again.
func TestLoadChild(t *testing.T) {
	dir := os.Getenv("MEDCODE_LOAD_CHILD")
	if dir == "" {
		t.Skip("run by the subprocess tests")
	}
	for {
		_, err := Load(dir, bundlesOf(t, nil, order2025(t), fixtureTabular), LoadOptions{})
		fmt.Printf("load: %v (cannot write: %v)\n", err, errors.Is(err, ErrCannotWrite))
		if os.Getenv("MEDCODE_LOAD_FOREVER") == "" {
			return
		}
	}
}

// child runs TestLoadChild on dir under a shell, with limit as shell
// commands run first (ulimit).
func child(t *testing.T, dir, limit string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", limit+` exec "$0" -test.run='^TestLoadChild$' -test.v`, exe)
	cmd.Env = append(os.Environ(), append(env, "MEDCODE_LOAD_CHILD="+dir)...)
	return cmd
}

// checkAnswers asserts the index as loaded by fixtureIndex still answers,
// intact, and the next load succeeds and leaves no build folder.
func checkAnswers(t *testing.T, dir, live string) {
	t.Helper()
	ix := mustOpen(t, dir)
	if live != "" && ix.Dir() != live {
		t.Errorf("the live generation is %s, want %s", ix.Dir(), live)
	}
	if e, err := ix.Get(rel26, "E119"); err != nil || e == nil {
		t.Errorf("Get after the failed load = %+v, %v", e, err)
	}
	if _, checks, err := Verify(dir); err != nil || checks[0].Problem != "" {
		t.Errorf("Verify = %+v, %v", checks, err)
	}
	mustLoad(t, dir, LoadOptions{}, order2025(t))
	for _, n := range genNames(t, dir) {
		if strings.HasPrefix(n, ".build-") {
			t.Errorf("%s left behind after the next load", n)
		}
	}
	mustOpen(t, dir)
}

// A full disk, simulated by a file size limit (Go ignores SIGXFSZ, so a
// write past it fails with EFBIG): the load fails with a clear error and
// the index loaded before answers.
func TestLoadDiskFull(t *testing.T) {
	dir := fixtureIndex(t)
	live := mustOpen(t, dir).Dir()
	// 16 KB: less than one bbolt file of the fixtures.
	out, err := child(t, dir, "ulimit -f 16;").CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "load: cannot write the index in "+dir) || !strings.Contains(string(out), "file too large") ||
		!strings.Contains(string(out), "(cannot write: true)") {
		t.Fatalf("child's load under ulimit -f:\n%s", out)
	}
	checkAnswers(t, dir, live)
}

// A read-only data directory. chmod does not stop root, so the folders
// are made immutable there.
func TestLoadReadOnlyDataDir(t *testing.T) {
	dir := fixtureIndex(t)
	live := mustOpen(t, dir).Dir()
	gens := filepath.Join(dir, "gens")
	if os.Geteuid() == 0 {
		if err := exec.Command("chattr", "+i", dir, gens).Run(); err != nil {
			t.Skipf("chattr +i: %v", err)
		}
		defer exec.Command("chattr", "-i", dir, gens).Run()
	} else {
		if err := os.Chmod(gens, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(gens, 0o700)
	}
	_, err := Load(dir, bundlesOf(t, nil, order2025(t)), LoadOptions{})
	if !errors.Is(err, ErrCannotWrite) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("load into a read-only data directory: %v", err)
	}
	if os.Geteuid() == 0 {
		exec.Command("chattr", "-i", dir, gens).Run()
	} else {
		os.Chmod(gens, 0o700)
	}
	checkAnswers(t, dir, live)
}

// kill -9 in the middle of loads: the index answers from a whole
// generation, and the next load cleans up and succeeds.
func TestLoadKilled(t *testing.T) {
	dir := fixtureIndex(t)
	for _, after := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond} {
		cmd := child(t, dir, "", "MEDCODE_LOAD_FOREVER=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		checkAnswers(t, dir, "")
	}
}
