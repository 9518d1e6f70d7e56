package codeset

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/medcode/medcode/codeset/mcepb"
)

// MCE flags of ICD-10-CM diagnosis rows, as the tables spell them, that
// medcode's edits read (../shared/formats/mce.md has the full list).
const (
	MCENewborn       = "newborn"
	MCEPediatric     = "pediatric"
	MCEMaternity     = "maternity"
	MCEAdult         = "adult"
	MCEMale          = "male"
	MCEFemale        = "female"
	MCEManifestation = "manifestation"
	MCEUnacceptable  = "unacceptable"
	MCERequiresSDx   = "reqsdx"
	MCEQuestionable  = "qadm"
	MCEExternalPDx   = "ecodepdx"
	MCEUnspecified   = "unspecified"
)

// MCETables are the ICD-10-CM diagnosis edit tables of the Medicare Code
// Editor: every diagnosis row with its dates and flags, and the age
// groups by date.
type MCETables struct {
	// Version is CMS's, "43.1".
	Version string
	// First is the first date of service of any ICD-10-CM row; Last the
	// last day the tables serve (their termination date).
	First, Last time.Time
	// Dx are the rows of each code, undotted, oldest first.
	Dx        map[string][]MCERow
	AgeGroups []MCEAgeGroup
	Rows      int
}

// MCERow is one row of a code: its flags from From to To (zero To: still
// in force).
type MCERow struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to,omitzero"`
	Flags []string  `json:"flags,omitempty"`
}

// InForce reports whether the row applies on a date of service.
func (r *MCERow) InForce(d time.Time) bool {
	return !d.Before(r.From) && (r.To.IsZero() || !d.After(r.To))
}

// Has reports whether the row carries a flag.
func (r *MCERow) Has(flag string) bool {
	for _, f := range r.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// MCEAgeGroup is the range of ages, in years, of an age flag from From to
// To (zero To: still in force).
type MCEAgeGroup struct {
	Group string    `json:"group"` // "Adult", "Maternity", "Newborn", "Pediatric"
	Min   int       `json:"min"`
	Max   int       `json:"max"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to,omitzero"`
}

// mceAgeGroups are the age groups the tables name, which is also how
// their content is recognised.
var mceAgeGroups = map[string]string{"Adult": MCEAdult, "Maternity": MCEMaternity, "Newborn": MCENewborn, "Pediatric": MCEPediatric}

// MCEAgeFlag is the diagnosis flag an age group's range bounds.
func MCEAgeFlag(group string) string { return mceAgeGroups[group] }

// SniffMCE recognises mce.bin from its first bytes: a Protocol Buffers
// message whose first field is the age-range table, which is small and
// names the MCE's age groups with their dates.
func SniffMCE(head []byte) bool {
	num, typ, n := protowire.ConsumeTag(head)
	if n < 0 || num != 1 || typ != protowire.BytesType {
		return false
	}
	body, m := protowire.ConsumeBytes(head[n:])
	if m < 0 {
		return false
	}
	var ages mcepb.AgeRangeRoot
	if err := proto.Unmarshal(body, &ages); err != nil || len(ages.AgeRangeEntries) == 0 {
		return false
	}
	for _, e := range ages.AgeRangeEntries {
		if _, ok := mceAgeGroups[e.AgeGroup]; !ok {
			return false
		}
		if _, err := mceDate(e.StartDate); err != nil {
			return false
		}
	}
	return true
}

// ParseMCE reads mce.bin, keeping its ICD-10-CM diagnosis rows and age
// groups.
func ParseMCE(r io.Reader, name string) (*MCETables, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var root mcepb.Root
	if err := proto.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: not readable as MCE edit tables: %v", name, err)
	}
	if f := root.GetDateFormat(); f != "" && f != "yyyyMMdd" {
		return nil, fmt.Errorf("%s: date format %q, want yyyyMMdd", name, f)
	}
	v := root.GetVersion()
	if v <= 0 {
		return nil, fmt.Errorf("%s: the tables state no version", name)
	}
	t := &MCETables{Version: fmt.Sprintf("%d.%d", v/10, v%10), Dx: map[string][]MCERow{}}
	if t.Last, err = mceDate(root.GetTerminationDate()); err != nil {
		return nil, fmt.Errorf("%s: termination date: %v", name, err)
	}
	for i, e := range root.GetAgeRangeRoot().GetAgeRangeEntries() {
		g := MCEAgeGroup{Group: e.AgeGroup, Min: int(e.StartAge), Max: int(e.EndAge)}
		if _, ok := mceAgeGroups[g.Group]; !ok {
			return nil, fmt.Errorf("%s: age range %d: unknown age group %q", name, i+1, g.Group)
		}
		if g.From, g.To, err = mceSpan(e.StartDate, e.EndDate); err != nil {
			return nil, fmt.Errorf("%s: age range %d (%s): %v", name, i+1, g.Group, err)
		}
		t.AgeGroups = append(t.AgeGroups, g)
	}
	entries := root.GetI10DxMasterRoot().GetCodeMasterEntries()
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: no ICD-10-CM diagnosis rows", name)
	}
	for i, e := range entries {
		code, err := NormalizeICD(e.Code)
		if err != nil {
			return nil, fmt.Errorf("%s: diagnosis row %d: %v", name, i+1, err)
		}
		var row MCERow
		if row.From, row.To, err = mceSpan(e.StartDate, e.EndDate); err != nil {
			return nil, fmt.Errorf("%s: diagnosis row %d (%s): %v", name, i+1, e.Code, err)
		}
		for _, f := range e.Flags {
			if f != "" {
				row.Flags = append(row.Flags, f)
			}
		}
		if t.First.IsZero() || row.From.Before(t.First) {
			t.First = row.From
		}
		t.Dx[code] = append(t.Dx[code], row)
		t.Rows++
	}
	for _, rows := range t.Dx {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].From.Before(rows[j].From) })
	}
	return t, nil
}

// MCERelease is the release the tables make: one MCE version, serving the
// dates its rows span.
func MCERelease(t *MCETables) Release {
	year := t.Last.Year()
	if t.Last.Month() >= time.October {
		year++
	}
	return Release{System: MCE, Name: "v" + t.Version, Year: year, First: t.First, Last: t.Last}
}

func mceSpan(from, to string) (time.Time, time.Time, error) {
	f, err := mceDate(from)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("start date: %v", err)
	}
	if to == "" {
		return f, time.Time{}, nil
	}
	t, err := mceDate(to)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("end date: %v", err)
	}
	return f, t, nil
}

func mceDate(s string) (time.Time, error) {
	if len(s) != 8 {
		return time.Time{}, errors.New("want yyyyMMdd, got " + strconv.Quote(s))
	}
	d, err := time.Parse("20060102", s)
	if err != nil {
		return time.Time{}, errors.New("want yyyyMMdd, got " + strconv.Quote(s))
	}
	return d, nil
}
