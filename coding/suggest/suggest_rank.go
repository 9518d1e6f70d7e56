package suggest

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// variant is one way the code books write a code, analysed; codeText is a
// code with all of them. The index stores them analysed.
type (
	variant  = index.Variant
	codeText = index.CodeText
)

// Penalties per word of a code's text that the query does not account for:
// a title's extra words mean a more specific code than the chart supports;
// an index entry's path words are mostly the book's structure.
const (
	// minSearchIDF leaves out of the text search words found in more than
	// about one document in fifty.
	minSearchIDF = 4.0
	// minFilterDocs: only a large index has words common enough to skip;
	// in a small one (the sample) every word may be the one that finds.
	minFilterDocs = 20000
	hcpcsPrior    = 0.12
	// headerPenalty puts billable codes before headers that match as well:
	// a header cannot go on a claim.
	headerPenalty = 0.2
	extraTitle    = 0.06
	// extraMain is for a word of an index entry's main term.
	extraMain  = 0.09
	extraIndex = 0.035
)

// rank scores the candidates for one reading of the query and returns up
// to keep of them (0 for all), best first.
func (s *Suggester) rank(rel string, sys codeset.System, rd reading, enc string, keep int, live func(*index.Entry) bool, minCov float64) ([]Suggestion, error) {
	var terms []index.WeightedTerm
	seen := map[string]bool{}
	docs, err := s.cb.Index().DocCount(rel)
	if err != nil {
		return nil, err
	}
	for _, c := range rd.concepts {
		for _, a := range c.alts {
			for _, t := range a {
				if seen[t] {
					continue
				}
				seen[t] = true
				// Words in a large share of all codes ("with", "other") find
				// nothing the rarer words do not, and cost the most to search.
				if idf, err := s.termIDF(rel, t); err != nil {
					return nil, err
				} else if idf < minSearchIDF && docs > minFilterDocs {
					continue
				}
				terms = append(terms, index.WeightedTerm{Term: t, Boost: c.weight})
			}
		}
	}
	if len(terms) == 0 {
		for t := range seen {
			terms = append(terms, index.WeightedTerm{Term: t, Boost: 1})
		}
		sort.Slice(terms, func(i, j int) bool { return terms[i].Term < terms[j].Term })
	}
	// The two searches run side by side: a query's latency, not its CPU,
	// is what a coder waits for.
	var all []index.Hit
	var allErr error
	var wg sync.WaitGroup
	if len(rd.concepts) > 1 {
		// The codes that hold every concept, however common its words
		// ("malignant neoplasm of left lower limb"), which the text search
		// leaves out. The words as written: their synonyms are in the text
		// search, and each alternative is another posting list to walk.
		var groups []index.TermGroup
		for _, c := range rd.concepts {
			if c.negated {
				continue
			}
			// A shorthand word's readings all: the first is only the likeliest.
			alts := c.alts[:1]
			if c.fits != nil {
				alts = c.alts
			}
			groups = append(groups, index.TermGroup{Alts: alts, Boost: c.weight})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			all, allErr = s.cb.Index().SearchAll(rel, groups, conjunctCandidates)
		}()
	}
	hits, err := s.cb.Index().SearchTerms(rel, terms, candidates)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if allErr != nil {
		return nil, allErr
	}
	hits = mergeHits(hits, all)
	q := newQueryBits(rd)
	q.values = &s.values
	if err := s.prefetch(rel, hitCodes(hits)); err != nil {
		return nil, err
	}
	// Headers that fit the query hand their index entries to the codes
	// below them, which become candidates too: the Index leads to a header
	// ("Fracture, ankle, bimalleolar" S82.84-) and the Tabular below it
	// gives the rest ("left": S82.842).
	matchedHeaders := map[string]*codeText{}
	if sys == codeset.ICD10CM {
		inHits := make(map[string]bool, len(hits))
		for _, h := range hits {
			inHits[h.Code] = true
		}
		type header struct {
			code  string
			ct    *codeText
			score float64
		}
		var fitting []header
		for _, h := range hits {
			if len(h.Code) < 3 || isSeventhFamily(sys, h.Code) {
				continue
			}
			ct, err := s.codeText(rel, h.Code)
			if err != nil {
				return nil, err
			}
			if ct == nil || ct.Entry.Billable {
				continue
			}
			if f, cov := bestFit(q, ct, nil, "", false); cov >= minCoverage {
				fitting = append(fitting, header{h.Code, ct, f.score})
			}
		}
		// Only the best-fitting headers: a query's common word ("finger")
		// fits dozens of them, and each brings up to maxInherit codes to
		// read and score.
		slices.SortFunc(fitting, func(a, b header) int {
			if a.score != b.score {
				return cmp.Compare(b.score, a.score)
			}
			return strings.Compare(a.code, b.code)
		})
		if len(fitting) > maxHeaders {
			fitting = fitting[:maxHeaders]
		}
		var more []index.Hit
		for _, h := range fitting {
			matchedHeaders[h.code] = h.ct
			below, err := s.below(rel, h.code)
			if err != nil {
				return nil, err
			}
			for _, c := range below {
				if !inHits[c] {
					inHits[c] = true
					more = append(more, index.Hit{Code: c})
				}
			}
		}
		if err := s.prefetch(rel, hitCodes(more)); err != nil {
			return nil, err
		}
		hits = append(hits, more...)
	}
	type scored struct {
		code  string
		score float64
		fit   fit
		ct    *codeText
		clash string // the title's word that contradicts the query
	}
	stand := stanceOf(rd)
	var list []scored
	for _, h := range hits {
		ct, err := s.codeText(rel, h.Code)
		if err != nil {
			return nil, err
		}
		if ct == nil || ct.Entry.HCPCS != nil && ct.Entry.HCPCS.IsModifier {
			// A modifier says how a service was done; it is never the
			// code for what the chart describes.
			continue
		}
		if !live(ct.Entry) {
			continue
		}
		// An HCPCS title may restrict the code to a use ("Blood glucose
		// test strips, for dialysis") that its short description leaves
		// out: unless the query names it, the title is what fits, less
		// purposePenalty.
		restricted := false
		if sys == codeset.HCPCS {
			pw, err := s.purpose(rel, h.Code, ct.Entry.Title)
			if err != nil {
				return nil, err
			}
			restricted = len(pw) > 0 && !q.saysAny(pw)
		}
		fit, cov := bestFit(q, ct, matchedHeaders, h.Code, restricted)
		if cov < minCov {
			continue
		}
		score := fit.score
		if restricted {
			score -= purposePenalty
		}
		if sys == codeset.HCPCS {
			// Chart text is mostly diagnoses, and HCPCS quality-reporting
			// codes quote diagnoses; an HCPCS code must match clearly better.
			score -= hcpcsPrior
			if r := ct.Entry.HCPCS; r != nil && strings.TrimSpace(r.BETOS) == "Z2" || qualityDataCode(h.Code) {
				// Quality-data codes report that something was
				// documented ("Documentation that the patient is on daily
				// aspirin"), not a service or a condition. BETOS Z2,
				// "undefined", is mostly such codes.
				score -= hcpcsPrior
			}
		}
		if ct.Entry.Billable {
			score += 0.02
		} else if !isSeventhFamily(sys, h.Code) {
			score -= headerPenalty
		}
		// The text search's own score breaks near-ties in favour of codes
		// whose words are matched in several places.
		score += 0.001 * math.Min(h.Score, 10)
		var clash string
		if len(ct.Variants) > 0 && ct.Variants[0].Kind == "title" {
			if clash = stand.clash(ct.Entry.Title, ct.Variants[0].Words); clash != "" {
				score -= contradiction
			}
		}
		list = append(list, scored{code: h.Code, score: score, fit: fit, ct: ct, clash: clash})
	}
	// Codes are unique: the order is total.
	slices.SortFunc(list, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return strings.Compare(a.code, b.code)
	})
	extraWhy := strings.Join(append(conceptNotes(rd), rd.notes...), "; ")
	// A 7th-character code stands for its family, which takes the place of
	// its best-scoring member. With an encounter named, the family is
	// answered by its best-scoring member of that encounter (the words
	// after it, "with nonunion", pick among them); else by the family with
	// its choices.
	type slot struct {
		sg     Suggestion
		base   string
		chosen *Suggestion
	}
	var slots []*slot
	families := map[string]*slot{}
	suggestion := func(sc *scored) Suggestion {
		sg := Suggestion{System: sys, Code: displayCode(sys, sc.code), Title: sc.ct.Entry.Title, Billable: sc.ct.Entry.Billable, Score: round3(sc.score), Why: sc.fit.why()}
		if extraWhy != "" {
			sg.Why += " (" + extraWhy + ")"
		}
		if sc.clash != "" {
			sg.Why += "; says " + sc.clash + ", unlike the query"
		}
		return sg
	}
	for i := range list {
		sc := &list[i]
		// Past the places asked for, only members of the families
		// already offered matter.
		full := keep > 0 && len(slots) >= keep
		base := ""
		if isSeventhCode(sys, sc.code) {
			base = sc.code[:6]
		} else if full {
			continue
		} else if !sc.ct.Entry.Billable && sys == codeset.ICD10CM {
			b, err := s.familyBase(rel, sc.code)
			if err != nil {
				return nil, err
			}
			base = b
		}
		if base == "" {
			slots = append(slots, &slot{sg: suggestion(sc)})
			continue
		}
		sl := families[base]
		if sl == nil {
			if full {
				continue
			}
			sl = &slot{sg: suggestion(sc), base: base}
			families[base] = sl
			slots = append(slots, sl)
		}
		if sl.chosen == nil && enc != "" && isSeventhCode(sys, sc.code) && encounterMatches(sc.ct.Entry.Title, enc) {
			sg := suggestion(sc)
			sl.chosen = &sg
		}
	}
	out := make([]Suggestion, 0, len(slots))
	for _, sl := range slots {
		switch {
		case sl.base == "":
			out = append(out, sl.sg)
		case sl.chosen != nil:
			c := *sl.chosen
			c.Score = sl.sg.Score
			out = append(out, c)
		default:
			fam, err := s.family(rel, sl.base, enc, sl.sg)
			if err != nil {
				return nil, err
			}
			if fam != nil {
				out = append(out, *fam)
			}
		}
	}
	return out, nil
}

// fit is a code's best-fitting text: a, or a read with b.
type fit struct {
	score float64
	a, b  *variant
}

func (f fit) why() string {
	if f.a == nil {
		return ""
	}
	if f.b != nil {
		return f.a.Kind + ": " + f.a.Text + " > " + f.b.Text
	}
	return f.a.Kind + ": " + f.a.Text
}

// bestFit scores every text of a code, and its title under each index
// entry of a matched header above it. noShort leaves out the short
// description, when it hides what the title restricts the code to.
func bestFit(q *queryBits, ct *codeText, headers map[string]*codeText, code string, noShort bool) (best fit, cov float64) {
	best.score = -1
	try := func(a, b *variant) {
		if a.Sig&q.sig == 0 && (b == nil || b.Sig&q.sig == 0) {
			return // holds none of the query's words
		}
		if sc, c := q.score(a, b); sc > best.score {
			best, cov = fit{score: sc, a: a, b: b}, c
		}
	}
	for i := range ct.Variants {
		if v := &ct.Variants[i]; !noShort || v.Kind != "short description" {
			try(v, nil)
		}
	}
	if len(headers) == 0 || len(ct.Variants) == 0 {
		return best, cov
	}
	for _, anc := range ancestors(ct.Entry.System, code) {
		act := headers[anc]
		if act == nil {
			continue
		}
		for i := range act.Variants {
			if av := &act.Variants[i]; av.Kind != "title" {
				try(av, &ct.Variants[0])
			}
		}
	}
	return best, cov
}

// qualityDataCode: G8000 to G9999 are the quality-data codes of CMS's
// reporting programs (PQRS, MIPS) and of its demonstrations.
func qualityDataCode(code string) bool {
	return len(code) == 5 && code[0] == 'G' && (code[1] == '8' || code[1] == '9')
}

// liveIn tells which codes can be offered: with a date of service, those
// in effect on it; without, those the release does not carry only as
// terminated before it began (an HCPCS file lists codes retired years
// ago). ICD-10-CM releases hold only their own codes.
func liveIn(from, date time.Time) func(*index.Entry) bool {
	return func(e *index.Entry) bool {
		r := e.HCPCS
		switch {
		case r == nil:
			return true
		case !date.IsZero():
			return r.InEffect(date)
		default:
			return r.Terminated.IsZero() || !r.Terminated.Before(from)
		}
	}
}

// conjunctCandidates is how many codes that hold every concept are added
// to the candidates; fewer than the text search's, as they fit better,
// and each is a code to read on a cold query.
const conjunctCandidates = 60

// maxHeaders is how many matched headers hand their index entries down.
const maxHeaders = 8

// maxInherit caps the codes a matched header hands its index entries to:
// a subcategory, not a whole chapter.
const maxInherit = 60

// below lists the codes under a header, or none when there are more than
// maxInherit.
func (s *Suggester) below(rel, code string) ([]string, error) {
	return s.belows.Get(rel+"/"+code, func() ([]string, error) {
		cs, total, err := s.cb.Index().DescendantCodes(rel, code, maxInherit)
		if err != nil {
			return nil, err
		}
		if total > maxInherit || cs == nil {
			cs = []string{}
		}
		return cs, nil
	})
}

// ancestors are the codes above an ICD-10-CM code, nearest first, down to
// the category ("N63" hands "Mass, breast" to N63.20, the left breast).
func ancestors(sys codeset.System, code string) []string {
	if sys != codeset.ICD10CM {
		return nil
	}
	var out []string
	for n := len(code) - 1; n >= 3; n-- {
		out = append(out, code[:n])
	}
	return out
}

func hitCodes(hs []index.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Code
	}
	return out
}

// mergeHits adds to the first list the codes of the second it lacks.
func mergeHits(a, b []index.Hit) []index.Hit {
	seen := make(map[string]bool, len(a))
	for _, h := range a {
		seen[h.Code] = true
	}
	for _, h := range b {
		if !seen[h.Code] {
			a = append(a, h)
		}
	}
	return a
}

func conceptNotes(rd reading) []string {
	var out []string
	for _, c := range rd.concepts {
		if c.why != "" {
			out = append(out, c.why)
		}
	}
	return out
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func displayCode(sys codeset.System, code string) string {
	if sys == codeset.ICD10CM {
		return codeset.DotICD(code)
	}
	return code
}

// isSeventhCode: every 7-character ICD-10-CM code carries a 7th-character
// extension.
func isSeventhCode(sys codeset.System, code string) bool {
	return sys == codeset.ICD10CM && len(code) == 7
}

func isSeventhFamily(sys codeset.System, code string) bool {
	return sys == codeset.ICD10CM && len(code) == 6
}

// familyBase tells whether a header is a 7th-character family in disguise:
// S02.2 has only S02.2XXA, S02.2XXB, ... below it, and a coder reads it as
// that family. It returns the family's 6-character base, or "".
func (s *Suggester) familyBase(rel, code string) (string, error) {
	if len(code) > 6 {
		return "", nil
	}
	return s.fams.Get(rel+"/"+code, func() (string, error) {
		below, err := s.cb.Index().BillableDescendants(rel, code, 40)
		if err != nil {
			return "", err
		}
		base := ""
		for i, c := range below {
			if len(c) != 7 || (i > 0 && c[:6] != base) {
				return "", nil
			}
			base = c[:6]
		}
		return base, nil
	})
}

// family answers for a 7th-character family: the completion for the named
// encounter, else the family's head with every valid completion.
func (s *Suggester) family(rel, base, enc string, sg Suggestion) (*Suggestion, error) {
	fam, err := s.familyOf(rel, base)
	if err != nil {
		return nil, err
	}
	members, head := fam.members, fam.head
	if len(members) == 0 {
		return &sg, nil
	}
	if enc != "" {
		for _, m := range members {
			if encounterMatches(m.Title, enc) {
				sg.Code, sg.Title, sg.Billable = codeset.DotICD(m.Code), m.Title, true
				return &sg, nil
			}
		}
	}
	// The family is shown through a real code with its own title: its
	// 6-character head, or when placeholders make that no code (T75.3XX)
	// the code above it (T75.3), whose billable codes are the family.
	if head == nil {
		if head, err = s.familyHead(rel, base); err != nil {
			return nil, err
		}
	}
	if head == nil {
		return nil, nil
	}
	// The text that matched may be a member's title: say whose, so it is
	// not read as the head's.
	if member := sg.Code; member != codeset.DotICD(head.Code) && strings.HasPrefix(sg.Why, "title: ") {
		sg.Why = "title of " + member + ": " + strings.TrimPrefix(sg.Why, "title: ")
	}
	sg.Code, sg.Title = codeset.DotICD(head.Code), head.Title
	sg.Billable = false
	sg.Completions = lookup.Briefs(members)
	return &sg, nil
}

// familyHead is the nearest code above a family's base.
func (s *Suggester) familyHead(rel, base string) (*index.Entry, error) {
	for c := codeset.ICDParent(base); c != ""; c = codeset.ICDParent(c) {
		e, err := s.cb.Index().Get(rel, c)
		if err != nil || e != nil {
			return e, err
		}
	}
	return nil, nil
}

// familyCodes are a 7th-character family's billable members and its head.
type familyCodes struct {
	members []*index.Entry
	head    *index.Entry
}

// familyOf reads a family once: families recur in a batch's results.
func (s *Suggester) familyOf(rel, base string) (*familyCodes, error) {
	return s.families.Get(rel+"/"+base, func() (*familyCodes, error) {
		// The suggest records have the titles and flags a family shows.
		codes, err := s.cb.Index().BillableDescendants(rel, base, 0)
		if err != nil {
			return nil, err
		}
		cts, err := s.cb.Index().SuggestTexts(rel, append(codes, base))
		if err != nil {
			return nil, err
		}
		fam := &familyCodes{}
		for i, ct := range cts {
			switch {
			case ct == nil:
			case i == len(codes):
				fam.head = ct.Entry
			default:
				fam.members = append(fam.members, ct.Entry)
			}
		}
		return fam, nil
	})
}

func encounterMatches(title, enc string) bool {
	t := strings.ToLower(title)
	switch enc {
	case "initial":
		return strings.Contains(t, "initial encounter")
	case "subsequent":
		return strings.Contains(t, "subsequent encounter")
	case "sequela":
		return strings.HasSuffix(t, "sequela")
	}
	return false
}

// codeText loads and analyses a code's texts once.
func (s *Suggester) codeText(rel, code string) (*codeText, error) {
	key := rel + "/" + code
	if ct, ok := s.texts.Load(key); ok {
		return ct, nil
	}
	if err := s.prefetch(rel, []string{code}); err != nil {
		return nil, err
	}
	ct, _ := s.texts.Load(key)
	return ct, nil
}

// prefetch loads the texts of the codes not yet known in one read of the
// index: a page of candidates, not a transaction each.
func (s *Suggester) prefetch(rel string, codes []string) error {
	var missing []string
	for _, c := range codes {
		if _, ok := s.texts.Load(rel + "/" + c); !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// A cold query reads hundreds of codes: in two halves at once.
	cts := make([]*codeText, len(missing))
	parts := 1
	if len(missing) >= 64 {
		parts = 2
	}
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		lo, hi := p*len(missing)/parts, (p+1)*len(missing)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.cb.Index().SuggestTexts(rel, missing[lo:hi])
			if err != nil {
				errs[p] = err
				return
			}
			for _, ct := range got {
				if ct != nil {
					markFree(ct)
				}
			}
			copy(cts[lo:hi], got)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for i, c := range missing {
		s.texts.Store(rel+"/"+c, cts[i])
	}
	return nil
}
