package codeset

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Release is one published version of a code set and the dates of service
// it governs. ICD-10-CM releases run by federal fiscal year (1 October to 30
// September) with occasional mid-year updates (April, and January 2021);
// HCPCS Level II releases run by calendar year with quarterly updates.
type Release struct {
	System System `json:"system"`
	// Name is "2026" for a base release and "2026-04" for an update taking
	// effect in April; it is unique within a system.
	Name string `json:"name"`
	// Year is the fiscal year (ICD-10-CM) or calendar year (HCPCS).
	Year int `json:"year"`
	// Month is the month an update takes effect in, 0 for a base release.
	Month int `json:"month,omitempty"`
	// First and Last are the dates of service of a release whose file
	// states them (the MCE tables); zero for the others, whose dates
	// follow from the year.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// ID is the key used for the release everywhere ("icd10cm-2026").
func (r Release) ID() string { return string(r.System) + "-" + r.Name }

func (r Release) String() string {
	switch r.System {
	case ICD10CM:
		if r.Month == 0 {
			return fmt.Sprintf("ICD-10-CM FY%d", r.Year)
		}
		return fmt.Sprintf("ICD-10-CM FY%d %s update", r.Year, time.Month(r.Month))
	case HCPCS:
		if r.Month == 0 || r.Month == 1 {
			return fmt.Sprintf("HCPCS %d", r.Year)
		}
		return fmt.Sprintf("HCPCS %d %s update", r.Year, time.Month(r.Month))
	case NCCI:
		return fmt.Sprintf("NCCI edits %d Q%d", r.Year, (max(r.Month, 1)-1)/3+1)
	case MCE:
		return "MCE edit tables, " + r.Name
	}
	return r.ID()
}

// Effective is the first date of service the release applies to.
func (r Release) Effective() time.Time {
	if !r.First.IsZero() {
		return r.First
	}
	switch r.System {
	case ICD10CM:
		if r.Month == 0 {
			return time.Date(r.Year-1, time.October, 1, 0, 0, 0, 0, time.UTC)
		}
		y := r.Year
		if r.Month >= 10 {
			y--
		}
		return time.Date(y, time.Month(r.Month), 1, 0, 0, 0, 0, time.UTC)
	default:
		m := r.Month
		if m == 0 {
			m = 1
		}
		return time.Date(r.Year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	}
}

// Through is the last date of service the release could apply to; a later
// update of the same year takes over from its own effective date.
func (r Release) Through() time.Time {
	if !r.Last.IsZero() {
		return r.Last
	}
	if r.System == ICD10CM {
		return time.Date(r.Year, time.September, 30, 0, 0, 0, 0, time.UTC)
	}
	if r.System == NCCI {
		// A quarter's tables run until the next quarter's.
		return r.Effective().AddDate(0, 3, -1)
	}
	return time.Date(r.Year, time.December, 31, 0, 0, 0, 0, time.UTC)
}

// Covers reports whether a date of service falls in the release's year.
func (r Release) Covers(d time.Time) bool {
	// Dates of service are days: any time on the last day is covered.
	y, m, dd := d.Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	return !day.Before(r.Effective()) && !day.After(r.Through())
}

// FiscalYear is the ICD-10-CM fiscal year a date of service falls in.
func FiscalYear(d time.Time) int {
	if d.Month() >= time.October {
		return d.Year() + 1
	}
	return d.Year()
}

var (
	yearRe  = regexp.MustCompile(`(?:^|[^0-9])(20[0-9]{2})(?:[^0-9]|$)`)
	monthRe = regexp.MustCompile(`(?i)(?:^|[^a-z])(jan|january|apr|april|jul|july|oct|october)(?:[^a-z]|$)`)
	// gluedYearRe finds a year glued to a prefix ("HCPC2020_...").
	gluedYearRe = regexp.MustCompile(`(20[0-9]{2})`)
)

// ReleaseFromName reads the year and update month out of an official file
// name ("icd10cm_order_2026.txt", "icd10cm-order-April-1-2024.txt",
// "HCPC2026_APR_ANWEB.txt"). ok is false when the name carries no year.
func ReleaseFromName(sys System, name string) (Release, bool) {
	base := name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	m := yearRe.FindStringSubmatch(base)
	if m == nil {
		// HCPCS names glue the year to the prefix ("HCPC2020_...").
		m = gluedYearRe.FindStringSubmatch(base)
		if m == nil {
			return Release{}, false
		}
	}
	year, _ := strconv.Atoi(m[1])
	month := 0
	if mm := monthRe.FindStringSubmatch(base); mm != nil {
		switch strings.ToLower(mm[1][:3]) {
		case "jan":
			month = 1
		case "apr":
			month = 4
		case "jul":
			month = 7
		case "oct":
			month = 10
		}
	}
	return NewRelease(sys, year, month), true
}

// NewRelease builds a release; month 0 means the base release of the year.
func NewRelease(sys System, year, month int) Release {
	if sys == HCPCS && month == 1 {
		month = 0
	}
	if sys == ICD10CM && month == 10 {
		month = 0
	}
	if sys == NCCI && month == 0 {
		month = 1
	}
	name := strconv.Itoa(year)
	if month != 0 {
		name = fmt.Sprintf("%d-%02d", year, month)
	}
	return Release{System: sys, Name: name, Year: year, Month: month}
}

var ncciVersionRe = regexp.MustCompile(`(?i)v(\d{2})(\d)r\d`)

// NCCIReleaseFromName reads the quarter of an NCCI file from the version
// in its name: CMS numbers versions 31.0 for January 2025, 31.1 for April,
// and so on, a major version a year ("ccipra-v321r0-f1" is April 2026).
// Without a version it falls back to a year and month in the name.
func NCCIReleaseFromName(name string) (Release, bool) {
	if m := ncciVersionRe.FindStringSubmatch(name); m != nil {
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		if minor <= 3 {
			return NewRelease(NCCI, 1994+major, 1+3*minor), true
		}
	}
	if r, ok := ReleaseFromName(NCCI, name); ok {
		if r.Month == 0 {
			r = NewRelease(NCCI, r.Year, 1)
		}
		return r, true
	}
	return Release{}, false
}

// ParseRelease reads a release name as given on the command line: "2026",
// "fy2026", "2026-04", optionally prefixed by the system ("icd10cm-2026").
func ParseRelease(sys System, s string) (Release, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []System{ICD10CM, HCPCS, NCCI} {
		if strings.HasPrefix(t, string(p)+"-") {
			sys, t = p, strings.TrimPrefix(t, string(p)+"-")
		}
	}
	t = strings.TrimPrefix(t, "fy")
	year, rest, _ := strings.Cut(t, "-")
	y, err := strconv.Atoi(year)
	if err != nil || y < 1990 || y > 2999 {
		return Release{}, fmt.Errorf("invalid release %q: want a year such as 2026 or 2026-04", s)
	}
	m := 0
	if rest != "" {
		m, err = strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Release{}, fmt.Errorf("invalid release %q: want a year such as 2026 or 2026-04", s)
		}
	}
	return NewRelease(sys, y, m), nil
}
