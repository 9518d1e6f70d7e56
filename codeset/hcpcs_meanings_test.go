package codeset

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/medcode/medcode/codeset/officialtest"
)

func TestHCPCSMeaningKnown(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		code string
		want string
	}{
		{"coverage", HCPCSCoverageMeaning, "D", "Special coverage instructions apply"},
		{"coverage", HCPCSCoverageMeaning, "S", "Non-covered by Medicare statute"},
		{"pricing", HCPCSPricingMeaning, "51", "Drugs"},
		{"pricing", HCPCSPricingMeaning, "00", "Service not separately priced by part B (e.g., services not covered, bundled, used by part A only, etc.)"},
		{"pricing", HCPCSPricingMeaning, "55", "Splints and casts (eff 10/1/2014)"},
		{"multi pricing", HCPCSMultiPricingMeaning, "A", "Not applicable as HCPCS priced under one methodology"},
		{"action", HCPCSActionMeaning, "N", "No maintenance for this code"},
		{"action", HCPCSActionMeaning, "T", "Miscellaneous change (BETOS, type of service)"},
		{"type of service", HCPCSTypeOfServiceMeaning, "P", "Lump sum purchase of DME, prosthetics, orthotics"},
		{"type of service", HCPCSTypeOfServiceMeaning, "0", "Whole blood only eff 01/96, whole blood or packed red cells before 01/96"},
		{"BETOS", HCPCSBETOSMeaning, "D1F", "Prosthetic/orthotic devices"},
		{"BETOS", HCPCSBETOSMeaning, "M5C", "Specialist - ophthalmology"},
		{"BETOS raw field", HCPCSBETOSMeaning, "M3 ", "Emergency room visit"},
		{"BETOS trimmed", HCPCSBETOSMeaning, "Z2", "Undefined codes"},
		{"lab cert", HCPCSLabCertMeaning, "010", "Histocompatibility testing"},
		{"lab cert", HCPCSLabCertMeaning, "510", "ABO group & Rh type"},
		{"MOG policy", hcpcsMOGPolicyMeaning, "9", "ASC payment not applicable"},
		// Unknown codes come back empty so the caller shows the raw code.
		{"coverage unknown", HCPCSCoverageMeaning, "X", ""},
		{"coverage blank", HCPCSCoverageMeaning, " ", ""},
		{"pricing unknown", HCPCSPricingMeaning, "5", ""},
		{"action lower case", HCPCSActionMeaning, "n", ""},
		{"BETOS unknown", HCPCSBETOSMeaning, "Q9X", ""},
		{"lab cert unknown", HCPCSLabCertMeaning, "10", ""},
		{"MOG policy unknown", hcpcsMOGPolicyMeaning, "5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.code, func(t *testing.T) {
			if got := tt.fn(tt.code); got != tt.want {
				t.Errorf("%s meaning of %q = %q, want %q", tt.name, tt.code, got, tt.want)
			}
		})
	}
}

// TestHCPCSMeaningTablesTidy checks the house style of every text: one line,
// single spaces, no trailing period, CMS's "e.G." fixed.
func TestHCPCSMeaningTablesTidy(t *testing.T) {
	tables := map[string]map[string]string{
		"coverage":        hcpcsCoverage,
		"pricing":         hcpcsPricing,
		"multi pricing":   hcpcsMultiPricing,
		"action":          hcpcsAction,
		"type of service": hcpcsTypeOfService,
		"BETOS":           hcpcsBETOS,
		"lab cert":        hcpcsLabCert,
		"MOG policy":      hcpcsMOGPolicy,
	}
	for name, table := range tables {
		for code, text := range table {
			switch {
			case code == "" || code != strings.TrimSpace(code):
				t.Errorf("%s: code %q is blank or padded", name, code)
			case text == "" || text != strings.TrimSpace(text):
				t.Errorf("%s %s: text %q is blank or padded", name, code, text)
			case strings.ContainsAny(text, "\r\n\t") || strings.Contains(text, "  "):
				t.Errorf("%s %s: text %q is not a single-spaced line", name, code, text)
			case strings.HasSuffix(text, "."):
				t.Errorf("%s %s: text %q ends in a period", name, code, text)
			case strings.Contains(text, "e.G."):
				t.Errorf("%s %s: text %q has CMS's e.G. typo", name, code, text)
			case text == strings.ToUpper(text) && strings.ToLower(text) != text && len(text) > 4:
				t.Errorf("%s %s: text %q is all caps", name, code, text)
			}
		}
	}
}

// hcpcsMeaningsReal is the real CMS 2020 alpha-numeric file, relative to
// the test data directory.
const hcpcsMeaningsReal = "cms-hcpcs/HCPC2020_ANWEB_w_disclaimer.txt"

// TestHCPCSMeaningRealFile checks that every code the real 2020 file uses
// in the fields a coder is shown is documented by the tables.
func TestHCPCSMeaningRealFile(t *testing.T) {
	path := filepath.Join(officialtest.Dir(t), filepath.FromSlash(hcpcsMeaningsReal))
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("CI") != "true" {
			t.Skipf("real HCPCS file missing: %v", err)
		}
		t.Fatal(err)
	}
	defer f.Close()

	type field struct {
		name       string
		fn         func(string) string
		start, end int // 1-based, inclusive, as in the record layout
		width      int // width of one occurrence
	}
	fields := []field{
		{"pricing indicator", HCPCSPricingMeaning, 120, 127, 2},
		{"multiple pricing indicator", HCPCSMultiPricingMeaning, 128, 128, 1},
		{"lab certification", HCPCSLabCertMeaning, 181, 204, 3},
		{"coverage", HCPCSCoverageMeaning, 230, 230, 1},
		{"MOG payment policy", hcpcsMOGPolicyMeaning, 244, 244, 1},
		{"BETOS", HCPCSBETOSMeaning, 257, 259, 3},
		{"type of service", HCPCSTypeOfServiceMeaning, 261, 265, 1},
		{"action", HCPCSActionMeaning, 293, 293, 1},
	}
	// missing[field name][raw code] = first line it occurs on
	missing := map[string]map[string]int{}
	records := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if !meaningRecordStart(l) {
			continue
		}
		if len(l) < 293 {
			t.Errorf("line %d: record cut short at %d columns", n, len(l))
			continue
		}
		records++
		for _, fd := range fields {
			for at := fd.start; at+fd.width-1 <= fd.end; at += fd.width {
				raw := l[at-1 : at-1+fd.width]
				if strings.TrimSpace(raw) == "" {
					continue // blank occurrences are not coded values
				}
				if fd.fn(raw) != "" {
					continue
				}
				if missing[fd.name] == nil {
					missing[fd.name] = map[string]int{}
				}
				if _, seen := missing[fd.name][raw]; !seen {
					missing[fd.name][raw] = n
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if records < 1000 {
		t.Fatalf("only %d record-id 3 and 7 lines in %s; is it the alpha-numeric file?", records, path)
	}
	if len(missing) > 0 {
		var b strings.Builder
		names := make([]string, 0, len(missing))
		for name := range missing {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			codes := make([]string, 0, len(missing[name]))
			for c := range missing[name] {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			for _, c := range codes {
				fmt.Fprintf(&b, "\n  %s %q (first on line %d)", name, c, missing[name][c])
			}
		}
		t.Errorf("%s uses codes without a meaning:%s", path, b.String())
	}
}

// meaningRecordStart reports whether l is the first line of a procedure or
// modifier record (record id 3 or 7 in column 11), as opposed to a
// continuation line or the disclaimer above the records: a five-character
// code or three blanks and a two-character modifier, then the five-digit
// sequence number.
func meaningRecordStart(l string) bool {
	if len(l) < 11 || l[10] != '3' && l[10] != '7' {
		return false
	}
	modifier := strings.HasPrefix(l, "   ")
	for i := 0; i < 10; i++ {
		c := l[i]
		switch {
		case i < 3 && modifier:
		case i < 5:
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}
