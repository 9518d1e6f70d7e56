package suggest

import "strings"

// purposePenalty is for an HCPCS code whose title restricts it to a use
// ("Blood glucose test strips, for dialysis") the query does not name:
// the supply for the general case is the likelier one.
const purposePenalty = 0.15

// purpose is the analysed words of the clause an HCPCS title gives its
// use in ("for dialysis", "for external insulin pump"): from " for " to
// the next comma. A title with none gives nil.
func (s *Suggester) purpose(rel, code, title string) ([]string, error) {
	return s.purposes.Get(rel+"/"+code, func() ([]string, error) {
		t := strings.ToLower(title)
		i := strings.Index(t, " for ")
		if i < 0 {
			return []string{}, nil
		}
		clause := t[i+len(" for "):]
		if j := strings.IndexByte(clause, ','); j >= 0 {
			clause = clause[:j]
		}
		toks, err := s.cb.Index().Analyze(rel, clause)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, w := range toks {
			if !stopWords[w] && !freeWords[w] {
				out = append(out, w)
			}
		}
		if out == nil {
			out = []string{}
		}
		return out, nil
	})
}

// saysAny tells whether the reading has any of the words.
func (q *queryBits) saysAny(words []string) bool {
	for _, w := range words {
		if _, ok := q.terms[w]; ok {
			return true
		}
	}
	return false
}
