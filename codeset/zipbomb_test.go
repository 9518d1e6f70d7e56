package codeset

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A zip bomb is refused from its directory, before anything is inflated.
func TestScanRefusesZipBombs(t *testing.T) {
	line, err := os.ReadFile(filepath.Join("..", "testdata", "icd10cm", "icd10cm_order_2026.txt"))
	if err != nil {
		t.Fatal(err)
	}
	line = line[:bytes.IndexByte(line, '\n')+1]
	dir := t.TempDir()

	// 32 MB of spaces after a real record: deflate packs it a
	// thousandfold.
	dense := filepath.Join(dir, "dense.zip")
	buildZip(t, dense, func(zw *zip.Writer) {
		w, err := zw.Create("icd10cm_order_2026.txt")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(line)
		w.Write(bytes.Repeat([]byte(" "), 32<<20))
	})
	// A member whose directory entry declares 2 GB.
	huge := filepath.Join(dir, "huge.zip")
	buildZip(t, huge, func(zw *zip.Writer) {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "icd10cm_order_2026.txt", Method: zip.Store,
			CompressedSize64: uint64(len(line)), UncompressedSize64: 2 << 30})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(line)
	})
	for _, c := range []struct{ path, want string }{
		{dense, "(a zip bomb?)"},
		{huge, "more than 1 GB"},
	} {
		start := time.Now()
		_, _, err := Scan([]string{c.path})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "icd10cm_order_2026.txt: refused") {
			t.Errorf("Scan %s: %v, want a refusal saying %q", filepath.Base(c.path), err, c.want)
		}
		t.Logf("%s refused in %v", filepath.Base(c.path), time.Since(start))
	}
}

func buildZip(t *testing.T, path string, fill func(*zip.Writer)) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	fill(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A workbook is a zip too: one declaring more than 1 GB is refused.
func TestXLSXBombRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store, CompressedSize64: 5, UncompressedSize64: 2 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = ParsePTPXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "bomb.xlsx")
	if err == nil || !strings.Contains(err.Error(), "bomb.xlsx: not a readable xlsx workbook") || !strings.Contains(err.Error(), "1073741824") {
		t.Errorf("ParsePTPXLSX of a 2 GB workbook: %v", err)
	}
}
