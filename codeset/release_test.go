package codeset

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestReleaseFromName(t *testing.T) {
	tests := []struct {
		sys  System
		name string
		want Release
		ok   bool
	}{
		{ICD10CM, "icd10cm_order_2026.txt", Release{System: ICD10CM, Name: "2026", Year: 2026}, true},
		{ICD10CM, "/data/cms-icd10cm/icd10cm_order_2026.txt", Release{System: ICD10CM, Name: "2026", Year: 2026}, true},
		{ICD10CM, `C:\Downloads\icd10cm_codes_2025.txt`, Release{System: ICD10CM, Name: "2025", Year: 2025}, true},
		{ICD10CM, "icd10cm-order-April-1-2024.txt", Release{System: ICD10CM, Name: "2024-04", Year: 2024, Month: 4}, true},
		{ICD10CM, "icd10cm-order-Jan-2021.txt", Release{System: ICD10CM, Name: "2021-01", Year: 2021, Month: 1}, true},
		{ICD10CM, "icd10cm_tabular_2021.xml", Release{System: ICD10CM, Name: "2021", Year: 2021}, true},
		{ICD10CM, "2025-code-descriptions-tabular-order.zip!icd10cm_order_2025.txt", Release{System: ICD10CM, Name: "2025", Year: 2025}, true},
		{HCPCS, "HCPC2020_ANWEB_w_disclaimer.txt", Release{System: HCPCS, Name: "2020", Year: 2020}, true},
		{HCPCS, "HCPC2026_APR_ANWEB.txt", Release{System: HCPCS, Name: "2026-04", Year: 2026, Month: 4}, true},
		{HCPCS, "HCPC2026_JUL_ANWEB.txt", Release{System: HCPCS, Name: "2026-07", Year: 2026, Month: 7}, true},
		{HCPCS, "HCPC2026_OCT_ANWEB.txt", Release{System: HCPCS, Name: "2026-10", Year: 2026, Month: 10}, true},
		// January is the base HCPCS release of the year.
		{HCPCS, "HCPC2026_JAN_ANWEB_v3.txt", Release{System: HCPCS, Name: "2026", Year: 2026}, true},
		{ICD10CM, "icd10cm_order.txt", Release{}, false},
		{ICD10CM, "order-file-april.txt", Release{}, false},
		{HCPCS, "HCPC_ANWEB.txt", Release{}, false},
		{ICD10CM, "", Release{}, false},
		// A year in a folder name does not count.
		{ICD10CM, "/data/2026/icd10cm_order.txt", Release{}, false},
	}
	for _, tt := range tests {
		got, ok := ReleaseFromName(tt.sys, tt.name)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ReleaseFromName(%s, %q) = %+v, %v; want %+v, %v", tt.sys, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReleaseDates(t *testing.T) {
	tests := []struct {
		rel                 Release
		id, str             string
		effective, through  time.Time
		covered, notCovered []time.Time
	}{
		{
			rel: NewRelease(ICD10CM, 2026, 0), id: "icd10cm-2026", str: "ICD-10-CM FY2026",
			effective: date(2025, 10, 1), through: date(2026, 9, 30),
			covered:    []time.Time{date(2025, 10, 1), date(2026, 1, 1), date(2026, 9, 30)},
			notCovered: []time.Time{date(2025, 9, 30), date(2026, 10, 1)},
		},
		{
			rel: NewRelease(ICD10CM, 2024, 4), id: "icd10cm-2024-04", str: "ICD-10-CM FY2024 April update",
			effective: date(2024, 4, 1), through: date(2024, 9, 30),
			covered:    []time.Time{date(2024, 4, 1), date(2024, 9, 30)},
			notCovered: []time.Time{date(2024, 3, 31), date(2023, 10, 1), date(2024, 10, 1)},
		},
		{
			rel: NewRelease(ICD10CM, 2021, 1), id: "icd10cm-2021-01", str: "ICD-10-CM FY2021 January update",
			effective: date(2021, 1, 1), through: date(2021, 9, 30),
			covered:    []time.Time{date(2021, 1, 1)},
			notCovered: []time.Time{date(2020, 12, 31)},
		},
		{
			rel: NewRelease(HCPCS, 2020, 0), id: "hcpcs-2020", str: "HCPCS 2020",
			effective: date(2020, 1, 1), through: date(2020, 12, 31),
			covered:    []time.Time{date(2020, 1, 1), date(2020, 12, 31)},
			notCovered: []time.Time{date(2019, 12, 31), date(2021, 1, 1)},
		},
		{
			rel: NewRelease(HCPCS, 2026, 4), id: "hcpcs-2026-04", str: "HCPCS 2026 April update",
			effective: date(2026, 4, 1), through: date(2026, 12, 31),
			covered:    []time.Time{date(2026, 4, 1), date(2026, 12, 31)},
			notCovered: []time.Time{date(2026, 3, 31)},
		},
	}
	for _, tt := range tests {
		r := tt.rel
		if r.ID() != tt.id || r.String() != tt.str {
			t.Errorf("%+v: ID %q String %q, want %q %q", r, r.ID(), r.String(), tt.id, tt.str)
		}
		if !r.Effective().Equal(tt.effective) || !r.Through().Equal(tt.through) {
			t.Errorf("%s: %s..%s, want %s..%s", r.ID(), r.Effective().Format(time.DateOnly), r.Through().Format(time.DateOnly),
				tt.effective.Format(time.DateOnly), tt.through.Format(time.DateOnly))
		}
		for _, d := range tt.covered {
			if !r.Covers(d) {
				t.Errorf("%s does not cover %s", r.ID(), d.Format(time.DateOnly))
			}
		}
		for _, d := range tt.notCovered {
			if r.Covers(d) {
				t.Errorf("%s covers %s", r.ID(), d.Format(time.DateOnly))
			}
		}
	}
}

func TestReleaseCoversLastDayWithTime(t *testing.T) {
	r := NewRelease(ICD10CM, 2026, 0)
	for _, d := range []time.Time{
		time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 9, 30, 0, 0, 0, 0, time.FixedZone("EDT", -4*3600)),
	} {
		if !r.Covers(d) {
			t.Errorf("FY2026 does not cover %s", d)
		}
	}
}

func TestNewRelease(t *testing.T) {
	tests := []struct {
		sys         System
		year, month int
		want        Release
	}{
		{ICD10CM, 2026, 0, Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, 2026, 10, Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, 2026, 4, Release{System: ICD10CM, Name: "2026-04", Year: 2026, Month: 4}},
		{ICD10CM, 2021, 1, Release{System: ICD10CM, Name: "2021-01", Year: 2021, Month: 1}},
		{HCPCS, 2026, 1, Release{System: HCPCS, Name: "2026", Year: 2026}},
		{HCPCS, 2026, 10, Release{System: HCPCS, Name: "2026-10", Year: 2026, Month: 10}},
	}
	for _, tt := range tests {
		if got := NewRelease(tt.sys, tt.year, tt.month); got != tt.want {
			t.Errorf("NewRelease(%s, %d, %d) = %+v, want %+v", tt.sys, tt.year, tt.month, got, tt.want)
		}
	}
}

func TestParseRelease(t *testing.T) {
	tests := []struct {
		sys  System
		in   string
		want Release
	}{
		{ICD10CM, "2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, " 2026 ", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, "fy2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, "FY2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, "2026-04", Release{System: ICD10CM, Name: "2026-04", Year: 2026, Month: 4}},
		{ICD10CM, "2026-4", Release{System: ICD10CM, Name: "2026-04", Year: 2026, Month: 4}},
		{ICD10CM, "icd10cm-2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		{ICD10CM, "icd10cm-2026-04", Release{System: ICD10CM, Name: "2026-04", Year: 2026, Month: 4}},
		{ICD10CM, "ICD10CM-FY2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
		// The prefix overrides the system asked for.
		{ICD10CM, "hcpcs-2020", Release{System: HCPCS, Name: "2020", Year: 2020}},
		{HCPCS, "2020", Release{System: HCPCS, Name: "2020", Year: 2020}},
		{HCPCS, "hcpcs-2026-01", Release{System: HCPCS, Name: "2026", Year: 2026}},
		{HCPCS, "icd10cm-2026", Release{System: ICD10CM, Name: "2026", Year: 2026}},
	}
	for _, tt := range tests {
		got, err := ParseRelease(tt.sys, tt.in)
		if err != nil {
			t.Errorf("ParseRelease(%s, %q): %v", tt.sys, tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseRelease(%s, %q) (-want +got):\n%s", tt.sys, tt.in, diff)
		}
	}
}

func TestParseReleaseErrors(t *testing.T) {
	for _, in := range []string{
		"", "   ", "abc", "fy", "26", "1989", "3000", "20266", "2026-00", "2026-13", "2026-apr",
		"2026-04-01", "icd10cm-", "hcpcs-", "cpt-2026", "2026.04", "-2026",
	} {
		r, err := ParseRelease(ICD10CM, in)
		if err == nil {
			t.Errorf("ParseRelease(%q) = %+v, want an error", in, r)
			continue
		}
		if !strings.Contains(err.Error(), "invalid release") || !strings.Contains(err.Error(), "2026-04") {
			t.Errorf("ParseRelease(%q): error %q lacks the expected form", in, err)
		}
	}
}

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		d    time.Time
		want int
	}{
		{date(2025, 9, 30), 2025},
		{date(2025, 10, 1), 2026},
		{date(2025, 12, 31), 2026},
		{date(2026, 1, 1), 2026},
		{date(2026, 9, 30), 2026},
		{date(2026, 10, 1), 2027},
	}
	for _, tt := range tests {
		if got := FiscalYear(tt.d); got != tt.want {
			t.Errorf("FiscalYear(%s) = %d, want %d", tt.d.Format(time.DateOnly), got, tt.want)
		}
		if r := NewRelease(ICD10CM, FiscalYear(tt.d), 0); !r.Covers(tt.d) {
			t.Errorf("FY%d does not cover %s", r.Year, tt.d.Format(time.DateOnly))
		}
	}
}
