package lookup

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// placeICD fills the path, the inherited notes and the 7th-character rule.
// Notes print where the Tabular List prints them, but they govern every code
// below, so a coder must see the category's Excludes1 at the code; only the
// levels that really hold the code pass theirs on, each once.
func placeICD(cb *coding.Codebook, v *CodeView, rel *index.ReleaseInfo, code string, chain []*index.Entry) error {
	pl, err := cb.Index().Place(rel.ID, code)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	if pl != nil {
		ch := pl.Chapter
		v.Path = append(v.Path, PathStep{Level: "chapter", Code: ch.Num, Title: ch.Title})
		addNotes(v, seen, "chapter", "chapter "+ch.Num, &ch.Notes)
		for i, s := range pl.Sections {
			level := "block"
			if i < len(pl.Sections)-1 {
				level = "heading"
			}
			v.Path = append(v.Path, PathStep{Level: level, Code: s.ID, Title: s.Title})
			addNotes(v, seen, level, s.ID, &s.Notes)
		}
		if pl.After != "" {
			v.Warnings = append(v.Warnings, fmt.Sprintf("the loaded Tabular List (%s) does not print category %s; it is placed beside %s, the category before it in the order file",
				tabularYear(rel), codeset.DotICD(code[:3]), pl.After))
		}
		if !pl.Printed {
			v.NotesMissing = notesMissing(cb, rel, code)
		}
	}
	var seventh *Seventh
	for i, e := range chain {
		level := "subcategory"
		switch {
		case i == len(chain)-1:
			level = "code"
		case len(e.Code) == 3:
			level = "category"
		}
		v.Path = append(v.Path, PathStep{Level: level, Code: codeset.DotICD(e.Code), Title: e.Title})
		if e.Notes != nil {
			addNotes(v, seen, level, codeset.DotICD(e.Code), e.Notes)
			if len(e.Notes.SevenChr) > 0 {
				seventh = &Seventh{From: codeset.DotICD(e.Code), Chars: e.Notes.SevenChr}
			}
		}
	}
	if seventh != nil {
		// Codes needing a 7th character are padded with X to six characters.
		seventh.Placeholder = true
		if len(code) == 7 {
			seventh.Char = code[6:]
			for _, c := range seventh.Chars {
				if c.Char == seventh.Char {
					seventh.Meaning = c.Meaning
				}
			}
		}
		v.Seventh = seventh
	}
	return nil
}

// addNotes adds the notes printed at one level. A text the Tabular List
// repeats at a lower level of the same path says nothing new there.
func addNotes(v *CodeView, seen map[string]bool, level, from string, n *codeset.Notes) {
	add := func(kind string, texts []string) {
		var keep []string
		for _, t := range texts {
			if k := kind + "\x00" + t; !seen[k] {
				seen[k] = true
				keep = append(keep, t)
			}
		}
		if len(keep) > 0 {
			v.Notes = append(v.Notes, NoteView{Kind: kind, Level: level, From: from, Text: keep})
		}
	}
	add("inclusion_terms", n.InclusionTerms)
	add("includes", n.Includes)
	add("excludes1", n.Excludes1)
	add("excludes2", n.Excludes2)
	add("code_first", n.CodeFirst)
	add("use_additional_code", n.UseAdditional)
	add("code_also", n.CodeAlso)
	add("notes", n.Notes)
	add("seventh_character_note", n.SevenChrNote)
}

// tabularYear is the version of the Tabular List a release's notes come
// from.
func tabularYear(rel *index.ReleaseInfo) string {
	for _, s := range rel.Sources {
		if s.Kind == codeset.KindTabular && s.Year != 0 {
			return fmt.Sprint(s.Year)
		}
	}
	return "older"
}

// notesMissing says why a code has no Tabular notes of its own: the
// loaded Tabular List predates it. When it was added is told from the
// loaded releases: the first that has it, after one that does not.
func notesMissing(cb *coding.Codebook, rel *index.ReleaseInfo, code string) string {
	msg := fmt.Sprintf("no Tabular notes: the loaded Tabular List is %s; this code was added ", tabularYear(rel))
	rels := cb.Index().Releases(codeset.ICD10CM) // newest first
	var first, before *index.ReleaseInfo
	for _, r := range rels {
		if r.Release.Effective().After(rel.Release.Effective()) {
			continue
		}
		e, err := cb.Index().Get(r.ID, code)
		if err != nil {
			break
		}
		if e == nil {
			before = r
			break
		}
		first = r
	}
	switch {
	case first != nil && before != nil:
		return msg + "in " + fyName(first.Release)
	case first != nil:
		return msg + "after it (it is in " + fyName(first.Release) + ", the oldest release loaded)"
	}
	return strings.TrimSuffix(msg, "; this code was added ")
}

func fyName(r codeset.Release) string {
	if r.Month == 0 {
		return fmt.Sprintf("FY%d", r.Year)
	}
	return fmt.Sprintf("FY%d (%s)", r.Year, r.Name)
}
