package browse

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

var update = flag.Bool("update", false, "rewrite the golden frames in testdata/frames")

// driver runs the model as bubbletea would, synchronously: each key's
// commands run to completion and their messages go back through Update
// before the next key, so frames are deterministic.
type driver struct {
	t    testing.TB
	m    *model
	clip bytes.Buffer
	quit bool
}

func newDriver(t testing.TB, dataDir string, pick coding.Pick, query string) *driver {
	t.Helper()
	f := &cmdutil.Factory{IO: iostreams.New(nil, io.Discard, io.Discard), DataDir: dataDir, Getenv: os.Getenv}
	d, header, err := openDomain(f, pick)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.cb.Close() })
	dr := &driver{t: t}
	dr.m = newModel(d, iostreams.TerminalStyles(io.Discard), &dr.clip, header, query)
	dr.run(dr.m.Init())
	return dr
}

func (dr *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			dr.quit = true
		default:
			_, next := dr.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (dr *driver) send(msg tea.Msg) {
	_, cmd := dr.m.Update(msg)
	dr.run(cmd)
}

// keys sends named keys ("enter", "tab", "down", "esc", "ctrl+c") or,
// for anything else, its runes one key at a time.
func (dr *driver) keys(ks ...string) {
	for _, k := range ks {
		if key, ok := keyNames[k]; ok {
			dr.send(tea.KeyPressMsg(key))
			continue
		}
		for _, r := range k {
			dr.send(textKey(string(r)))
		}
	}
}

var keyNames = map[string]tea.Key{
	"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"esc": {Code: tea.KeyEscape}, "backspace": {Code: tea.KeyBackspace}, "up": {Code: tea.KeyUp},
	"down": {Code: tea.KeyDown}, "pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown},
	"ctrl+c": {Code: 'c', Mod: tea.ModCtrl},
}

// frame is the screen as a terminal shows it without colours.
func (dr *driver) frame() string {
	lines := strings.Split(ansi.Strip(dr.m.View().Content), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// golden compares the frame with testdata/frames/NAME.txt; -update
// rewrites it.
func (dr *driver) golden(name string) {
	dr.t.Helper()
	got := dr.frame()
	path := filepath.Join("testdata", "frames", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			dr.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			dr.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		dr.t.Fatalf("%v (go test -run %s -update writes it)", err, dr.t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		dr.t.Errorf("frame %s (-want +got):\n%s", name, diff)
	}
}
