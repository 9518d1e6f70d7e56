package index

import (
	"encoding/json"
	"sort"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Place is where the Tabular List prints an ICD-10-CM code: its chapter and
// the sections over its category.
type Place struct {
	Chapter *Chapter
	// Sections run from the outermost heading down to the block that
	// holds the category, each once.
	Sections []*Section
	// After is set when the loaded Tabular List does not print the
	// category (it is newer): the category then sits in the block of the
	// category the order file lists just before it, which After names.
	After string
	// Printed reports whether the Tabular List prints the code itself; a
	// code newer than the loaded Tabular has no notes of its own there.
	Printed bool
}

// Place tells where the Tabular List puts a code; nil when no Tabular
// List was loaded for the release or the code's category cannot be placed.
func (ix *Index) Place(release, code string) (*Place, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	p, err := s.placer()
	if err != nil || p == nil {
		return nil, err
	}
	return p.place(s, code)
}

// placer answers Place for one release from its stored structure.
type placer struct {
	chapters []Chapter
	// block is where each printed category sits: chapter and section.
	block map[string][2]int
	// sections finds a heading by ID within its chapter.
	sections []map[string]*Section
	// byOrder are the printed categories in the order file's order, for
	// placing a category the Tabular List does not print.
	byOrderOnce sync.Once
	byOrder     []orderedCategory
	byOrderErr  error
	// before is the category printed just before each category whose
	// name has a letter after its initial (C4A, D3A), which sorts apart
	// from where the Tabular List prints it.
	before map[string]string
}

type orderedCategory struct {
	order int
	code  string
}

func (s *store) placer() (*placer, error) {
	s.placeOnce.Do(func() { s.places, s.placeErr = s.readPlacer() })
	return s.places, s.placeErr
}

func (s *store) readPlacer() (*placer, error) {
	chapters, err := s.structure()
	if err != nil || len(chapters) == 0 {
		return nil, err
	}
	p := &placer{chapters: chapters, block: map[string][2]int{}, sections: make([]map[string]*Section, len(chapters)), before: map[string]string{}}
	prev := ""
	for i := range chapters {
		p.sections[i] = map[string]*Section{}
		for j := range chapters[i].Sections {
			sec := &chapters[i].Sections[j]
			p.sections[i][sec.ID] = sec
			for _, c := range sec.Categories {
				p.block[c] = [2]int{i, j}
				if lettered(c) && prev != "" && prev[0] == c[0] {
					p.before[c] = prev
				}
				prev = c
			}
		}
	}
	return p, nil
}

// orderedCategories reads the order-file numbers of the printed
// categories, the first time a category the Tabular lacks is placed.
func (p *placer) orderedCategories(s *store) ([]orderedCategory, error) {
	p.byOrderOnce.Do(func() { p.byOrder, p.byOrderErr = p.readOrder(s) })
	return p.byOrder, p.byOrderErr
}

func (p *placer) readOrder(s *store) ([]orderedCategory, error) {
	var out []orderedCategory
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCodes)
		if b == nil {
			return nil
		}
		for c := range p.block {
			v := b.Get([]byte(c))
			if v == nil {
				continue
			}
			var sc storedCode
			if err := json.Unmarshal(v, &sc); err != nil {
				return err
			}
			out = append(out, orderedCategory{sc.Order, c})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out, err
}

func (p *placer) place(s *store, code string) (*Place, error) {
	cat := code
	if len(cat) > 3 {
		cat = cat[:3]
	}
	pl := &Place{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketTabularCodes); b != nil {
			pl.Printed = b.Get([]byte(code)) != nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	at, ok := p.block[cat]
	if !ok {
		e, err := s.get(cat)
		if err != nil || e == nil || e.Order == 0 {
			return nil, err
		}
		byOrder, err := p.orderedCategories(s)
		if err != nil {
			return nil, err
		}
		// The last printed category before it in the order file, of the
		// same letter: a new category is added beside its kin.
		k := sort.Search(len(byOrder), func(k int) bool { return byOrder[k].order >= e.Order }) - 1
		if k < 0 || byOrder[k].code[0] != cat[0] {
			return nil, nil
		}
		pl.After = byOrder[k].code
		at = p.block[pl.After]
	}
	pl.Chapter = &p.chapters[at[0]]
	sec := &pl.Chapter.Sections[at[1]]
	for sec != nil {
		pl.Sections = append([]*Section{sec}, pl.Sections...)
		if sec.Within == "" || len(pl.Sections) > len(pl.Chapter.Sections) {
			break
		}
		sec = p.sections[at[0]][sec.Within]
	}
	return pl, nil
}

func lettered(cat string) bool {
	return len(cat) >= 3 && (cat[1] > '9' || cat[2] > '9')
}

// RangeKey is a code written so that comparing strings follows the
// Tabular List's order of categories: D3A.010 is printed between D36 and
// D37, so its key is "D36~010" and the range D37-D44 does not take it in.
// A code whose category sorts where it is printed is its own key.
func (ix *Index) RangeKey(release, code string) (string, error) {
	if len(code) < 3 || !lettered(code[:3]) {
		return code, nil
	}
	s, err := ix.store(release)
	if err != nil {
		return "", err
	}
	p, err := s.placer()
	if err != nil || p == nil {
		return code, err
	}
	cat := code[:3]
	prev, ok := p.before[cat]
	if !ok {
		pl, err := p.place(s, cat)
		if err != nil || pl == nil || pl.After == "" {
			return code, err
		}
		prev = pl.After
	}
	k, err := ix.RangeKey(release, prev)
	if err != nil {
		return "", err
	}
	return k + "~" + code[3:], nil
}
