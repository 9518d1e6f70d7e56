package changes

import (
	"errors"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
)

// hcpcsChanges lists the codes of one HCPCS file whose action code says
// they changed: CMS marks each record with what the year's update did to
// it (A add, D discontinue, R reactivate, B/C/F/P/S/T a change), and when.
func hcpcsChanges(cb *coding.Codebook, req Request) (*Report, error) {
	if req.From != "" {
		return nil, errors.New("HCPCS changes come from one file's action codes: no release to compare from")
	}
	rel, _, err := cb.ReleaseFor(codeset.HCPCS, coding.Pick{Release: req.To})
	if err != nil {
		return nil, err
	}
	if rel == nil {
		return nil, coding.Errorf(coding.DoLoad+" the HCPCS alpha-numeric file", "no HCPCS release is loaded")
	}
	rows, err := cb.Index().CodeRows(rel.ID)
	if err != nil {
		return nil, err
	}
	prefix := strings.ToUpper(strings.TrimSpace(req.Code))
	rep := &Report{System: string(codeset.HCPCS), To: rel.ID, ToName: rel.Release.String(), Code: prefix, Counts: map[Kind]int{}, Changes: []Change{}}
	for _, k := range kindsOf(true) {
		rep.Counts[k] = 0
	}
	seen := false
	for _, r := range rows {
		if !strings.HasPrefix(r.Code, prefix) {
			continue
		}
		seen = true
		h := r.HCPCS
		k := hcpcsKind(h.Action)
		if k == "" {
			continue
		}
		c := Change{Change: k, Code: r.Code, Kind: "procedure", Title: r.Title, Short: r.Short,
			Action: h.Action, ActionMeaning: codeset.HCPCSActionMeaning(h.Action)}
		if h.IsModifier {
			c.Kind = "modifier"
		}
		if !h.ActionEffective.IsZero() {
			c.Effective = h.ActionEffective.Format("2006-01-02")
		}
		if !h.Terminated.IsZero() {
			c.Terminated = h.Terminated.Format("2006-01-02")
		}
		rep.Changes = append(rep.Changes, c)
		rep.Counts[k]++
	}
	if prefix != "" && !seen {
		return nil, coding.Errorf(coding.DoInfo, "no code of %s starts with %s", rel.ID, prefix)
	}
	return rep, nil
}

// hcpcsKind groups an action code; "" for no change (N) or none.
func hcpcsKind(action string) Kind {
	switch action {
	case "", "N":
		return ""
	case "A":
		return Added
	case "D":
		return Discontinued
	case "R":
		return Reactivated
	}
	return Changed
}
