package browse

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	clivalidate "github.com/medcode/medcode/cmd/medcode/cli/validate"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
	"github.com/medcode/medcode/coding/validate"
)

func TestMain(m *testing.M) { os.Exit(codingtest.Main(m)) }

// sample drives the browser over the sample built into medcode.
func sample(t *testing.T, query string) *driver {
	t.Helper()
	return newDriver(t, t.TempDir(), coding.Pick{}, query)
}

func TestSearch(t *testing.T) {
	dr := sample(t, "")
	dr.golden("empty")
	dr.keys("diabetes")
	if len(dr.m.results) == 0 || dr.m.shown != "diabetes" {
		t.Fatalf("results for %q: %d", dr.m.shown, len(dr.m.results))
	}
	dr.golden("search")
	// The list follows the selection into the detail pane.
	dr.keys("down")
	if got, want := dr.m.right.code, dr.m.results[1].Code; got != want {
		t.Errorf("detail shows %s, selected %s", got, want)
	}
}

func TestTypedCodeJumps(t *testing.T) {
	dr := sample(t, "")
	dr.keys("e119")
	if len(dr.m.results) == 0 || dr.m.results[0].Code != "E11.9" || dr.m.right.code != "E11.9" {
		t.Fatalf("e119 did not jump to E11.9: %+v", dr.m.results)
	}
	dr.golden("typed_code")
}

// Enter on a header drills into the codes below it; Esc comes back.
func TestOpenAndBack(t *testing.T) {
	dr := sample(t, "E11")
	dr.keys("enter")
	if dr.m.focus != paneRight || len(dr.m.right.links) == 0 {
		t.Fatalf("focus %v, links %d", dr.m.focus, len(dr.m.right.links))
	}
	dr.keys("down", "down") // into view, then to the second code below
	child := dr.m.right.links[1].Code
	dr.keys("enter")
	if dr.m.right.code != child {
		t.Fatalf("Enter opened %s, want %s", dr.m.right.code, child)
	}
	dr.golden("open_child")
	dr.keys("esc")
	if dr.m.right.code != "E11" {
		t.Errorf("Esc went back to %s, want E11", dr.m.right.code)
	}
}

// addCode searches a code and adds it from the result list.
func (dr *driver) addCode(code string) {
	dr.keys("/")
	for dr.m.input.Value() != "" {
		dr.keys("backspace")
	}
	dr.keys(code, "tab", "a")
}

func TestTrayExcludes1(t *testing.T) {
	dr := sample(t, "")
	dr.addCode("E11.9")
	dr.addCode("E10.9")
	if got := strings.Join(dr.m.Tray(), ","); got != "E11.9,E10.9" {
		t.Fatalf("tray %s", got)
	}
	dr.golden("tray")
	dr.keys("v")
	dr.golden("excludes1")
	// The findings are validate's, for the same claim, as it prints them.
	cb, err := coding.OpenCodebook(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	packs, err := validate.LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.New(cb, packs, validate.Settings{Setting: "practitioner"}).Validate(&claims.Claim{Dx: []string{"E11.9", "E10.9"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	clivalidate.Render(&buf, iostreams.TerminalStyles(io.Discard), rep)
	if !strings.Contains(buf.String(), "[excludes1]") {
		t.Fatalf("validate reports no Excludes1 for E11.9 with E10.9:\n%s", buf.String())
	}
	if got := strings.Join(dr.m.findingsLines(), "\n"); got != strings.TrimRight(buf.String(), "\n") {
		t.Errorf("tray findings differ from validate:\n%s\nvalidate:\n%s", got, buf.String())
	}
	// Removing a code checks the tray again.
	dr.keys("x")
	if got := strings.Join(dr.m.Tray(), ","); got != "E11.9" || dr.m.report.Errors != 0 {
		t.Errorf("after x: tray %s, %d errors", got, dr.m.report.Errors)
	}
}

func TestAddRefusesHeader(t *testing.T) {
	dr := sample(t, "")
	dr.addCode("E11")
	if len(dr.m.tray) != 0 || !strings.Contains(dr.m.status, "not billable") {
		t.Errorf("tray %v, status %q", dr.m.Tray(), dr.m.status)
	}
}

func TestResize(t *testing.T) {
	dr := sample(t, "diabetes")
	for _, sz := range []tea.WindowSizeMsg{{Width: 100, Height: 30}, {Width: 60, Height: 16}, {Width: 80, Height: 24}} {
		dr.send(sz)
		lines := strings.Split(dr.m.View().Content, "\n")
		if len(lines) != sz.Height {
			t.Errorf("%dx%d: %d lines", sz.Width, sz.Height, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz.Width {
				t.Errorf("%dx%d: line %d is %d wide", sz.Width, sz.Height, i, w)
			}
		}
		if sz.Width == 100 {
			dr.golden("resize_100x30")
		}
	}
}

func TestQuitPrintsTray(t *testing.T) {
	for _, quit := range []string{"q", "ctrl+c"} {
		dr := sample(t, "")
		dr.addCode("E11.9")
		dr.addCode("I10")
		dr.keys(quit)
		if !dr.quit {
			t.Fatalf("%s did not quit", quit)
		}
		var out bytes.Buffer
		if err := printTray(&out, dr.m.Tray()); err != nil {
			t.Fatal(err)
		}
		if out.String() != "E11.9,I10\n" {
			t.Errorf("%s printed %q", quit, out.String())
		}
	}
}

func TestHelpListsEveryKey(t *testing.T) {
	dr := sample(t, "")
	dr.keys("tab", "?")
	f := dr.frame()
	for _, b := range keys.helpRows() {
		if !strings.Contains(f, b.Help().Key) {
			t.Errorf("help lacks %s", b.Help().Key)
		}
	}
	dr.golden("help")
}

func TestCopyOSC52(t *testing.T) {
	dr := sample(t, "e119")
	dr.keys("tab", "y")
	want := base64.StdEncoding.EncodeToString([]byte("E11.9"))
	if !strings.Contains(dr.clip.String(), "\x1b]52;c;"+want) {
		t.Errorf("clipboard got %q", dr.clip.String())
	}
}

// The Index pane on the sample, which has no Alphabetic Index, says so
// and how to load one.
func TestIndexPaneWithoutIndex(t *testing.T) {
	dr := sample(t, "e119")
	dr.keys("tab", "i")
	if f := dr.frame(); !strings.Contains(f, "no Alphabetic Index") || !strings.Contains(f, "hint: medcode load") {
		t.Errorf("frame:\n%s", f)
	}
}

func TestNoTerminalExits2(t *testing.T) {
	opts := &Options{IO: iostreams.New(nil, io.Discard, io.Discard), Factory: &cmdutil.Factory{Getenv: os.Getenv}}
	err := runBrowse(opts, func() (io.ReadWriteCloser, error) { return nil, errors.New("open /dev/tty: no such device") })
	var ee *cmdutil.ExitError
	if !errors.As(err, &ee) || ee.Code != cmdutil.ExitUsage || ee.Err.Error() != "browse needs a terminal; use show/suggest in scripts" {
		t.Errorf("err %v", err)
	}
}

// fakeTTY feeds keys to the real program and swallows what it draws.
type fakeTTY struct {
	in  io.Reader
	out bytes.Buffer
}

func (f *fakeTTY) Read(p []byte) (int, error)  { return f.in.Read(p) }
func (f *fakeTTY) Write(p []byte) (int, error) { return f.out.Write(p) }
func (*fakeTTY) Close() error                  { return nil }

// The whole command runs bubbletea on the terminal it opens, not stdout.
func TestRunOnTerminal(t *testing.T) {
	var out bytes.Buffer
	f := &cmdutil.Factory{IO: iostreams.New(nil, &out, io.Discard), DataDir: t.TempDir(), Getenv: os.Getenv}
	tty := &fakeTTY{in: strings.NewReader("\x03")} // Ctrl-C: q would be typed into the search line
	err := runBrowse(&Options{IO: f.IO, Factory: f}, func() (io.ReadWriteCloser, error) { return tty, nil })
	if err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout got %q with an empty tray", out.String())
	}
	if !strings.Contains(tty.out.String(), "medcode browse") {
		t.Errorf("nothing drawn on the terminal: %q", tty.out.String())
	}
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A keystroke never waits for a stale query: a search that a newer key
// made stale before it ran is skipped, and a stale answer is dropped.
func TestStaleSearch(t *testing.T) {
	dr := sample(t, "")
	dr.m.input.SetValue("diab")
	first := dr.m.startSearch()
	dr.m.input.SetValue("diabetes")
	second := dr.m.startSearch()
	if msg := first(); msg != nil {
		t.Errorf("the stale search ran: %T", msg)
	}
	fresh := second()
	dr.send(searchMsg{seq: 1, ans: searchAnswer{query: "diab", results: []result{{Code: "X"}}}})
	if len(dr.m.results) != 0 {
		t.Errorf("a stale answer was shown: %+v", dr.m.results)
	}
	dr.send(fresh)
	if dr.m.shown != "diabetes" || len(dr.m.results) == 0 {
		t.Errorf("the fresh answer was not shown: %q %d", dr.m.shown, len(dr.m.results))
	}
}

// Keys typed faster than they are read arrive as one message; outside the
// search line each rune is still its own key.
func TestKeysInOneMessage(t *testing.T) {
	dr := sample(t, "e119")
	dr.keys("tab")
	dr.send(textKey("a/i10"))
	if got := strings.Join(dr.m.Tray(), ","); got != "E11.9" || dr.m.input.Value() != "e119i10" {
		t.Errorf("tray %q, search %q", got, dr.m.input.Value())
	}
}

// A paste (bracketed, one message in bubbletea v2) goes into the search
// line and searches; outside it, it is not taken for keys.
func TestPaste(t *testing.T) {
	dr := sample(t, "")
	dr.send(tea.PasteMsg{Content: "e119"})
	if dr.m.input.Value() != "e119" || len(dr.m.results) == 0 || dr.m.results[0].Code != "E11.9" {
		t.Fatalf("search %q, %d results", dr.m.input.Value(), len(dr.m.results))
	}
	dr.keys("tab")
	dr.send(tea.PasteMsg{Content: "a"})
	if len(dr.m.tray) != 0 || dr.m.input.Value() != "e119" {
		t.Errorf("tray %v, search %q", dr.m.Tray(), dr.m.input.Value())
	}
}
