package index

import (
	"strings"

	"github.com/medcode/medcode/codeset"
)

// seeIndex resolves the Alphabetic Index's "see" references ("Grippe -
// see Influenza") to the code of the entry they name. Older and lay words
// are often only there, so their entries are kept under that code.
type seeIndex struct {
	exact map[string]string // full path -> code
	// loose keys an entry by the first words of each level, as references
	// name them: "see Fracture, femur, neck" is the entry printed
	// "Fracture, traumatic - femur, femoral - neck".
	loose map[string][]looseEntry
	// refs are the entries that are themselves references, by full and
	// loose path; code holds the reference.
	refs map[string][]looseEntry
}

// looseEntry is an entry's code (or reference) and its main term.
type looseEntry struct{ main, code string }

// pick prefers the entry under the main term given.
func pick(es []looseEntry, main string, anyMain bool) string {
	for _, e := range es {
		if e.main == main {
			return e.code
		}
	}
	if anyMain && len(es) > 0 {
		return es[0].code
	}
	return ""
}

func newSeeIndex(terms []codeset.IndexTerm) *seeIndex {
	x := &seeIndex{exact: map[string]string{}, loose: map[string][]looseEntry{}, refs: map[string][]looseEntry{}}
	for i := range terms {
		t := &terms[i]
		full, loose := strings.ToLower(strings.Join(t.Path, ", ")), loosePath(t.Path)
		switch {
		case t.Code != "":
			if _, ok := x.exact[full]; !ok {
				x.exact[full] = t.Code
			}
			x.loose[loose] = append(x.loose[loose], looseEntry{mainTerm(t.Path), t.Code})
		case t.See != "":
			x.refs[full] = append(x.refs[full], looseEntry{mainTerm(t.Path), t.See})
			if loose != full {
				x.refs[loose] = append(x.refs[loose], looseEntry{mainTerm(t.Path), t.See})
			}
		}
	}
	return x
}

// target is the code of the entry a reference names, "" when none is
// found. It tries the reference whole, then by its levels' first words
// (preferring an entry under the referring entry's own main term, so
// "Fracture, traumatic" refers within itself, not to "Fracture,
// pathological"), follows an entry that is itself a reference a few steps,
// and last drops the reference's final parts ("Pain, abdominal, lower"
// falls back to "Pain, abdominal").
func (x *seeIndex) target(see, fromMain string) string {
	for hop := 0; hop < 3; hop++ {
		full, loose := strings.ToLower(strings.TrimSpace(see)), loosePath(strings.Split(see, ","))
		if code, ok := x.exact[full]; ok {
			return code
		}
		if code := pick(x.loose[loose], fromMain, false); code != "" {
			return code
		}
		next := pick(x.refs[full], fromMain, true)
		if next == "" {
			next = pick(x.refs[loose], fromMain, false)
		}
		if next == "" {
			if code := pick(x.loose[loose], fromMain, true); code != "" {
				return code
			}
			break
		}
		see = next
	}
	key := strings.ToLower(strings.TrimSpace(see))
	for key != "" {
		if code, ok := x.exact[key]; ok {
			return code
		}
		i := strings.LastIndex(key, ",")
		if i < 0 {
			return ""
		}
		key = strings.TrimSpace(key[:i])
	}
	return ""
}

func mainTerm(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return strings.ToLower(path[0])
}

// loosePath keys an index path by the first words of each level, without
// "NEC" or "NOS", which references leave out ("see Dependence, drug,
// opioid" names the entry printed "Dependence - drug NEC - opioid").
func loosePath(levels []string) string {
	parts := make([]string, 0, len(levels))
	for _, l := range levels {
		if i := strings.IndexAny(l, ",("); i >= 0 {
			l = l[:i]
		}
		l = strings.ToLower(strings.TrimSpace(l))
		for _, q := range []string{" nec", " nos"} {
			l = strings.TrimSpace(strings.TrimSuffix(l, q))
		}
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}
