package suggest

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/internal/memo"
	"github.com/medcode/medcode/coding/suggest/synonyms"

	"github.com/medcode/medcode/index"

	"github.com/medcode/medcode/codeset"
)

// Suggester ranks codes for free text. It caches what it learns about codes
// and terms, so a batch of queries (suggest --stdin) gets faster as it goes.
type Suggester struct {
	cb  *coding.Codebook
	syn *synonyms.Synonyms

	// Each cache is keyed by release/code or release/term.
	texts    memo.Map[*codeText]         // analysed text
	idf      memo.Map[float64]           // inverse document frequency
	fixes    memo.Map[string]            // spelling correction ("" for none)
	fams     memo.Map[string]            // 7th-character family base ("" for none)
	abbrevs  memo.Map[string]            // expansion learned from the short titles
	belows   memo.Map[[]string]          // codes below a header
	vocab    memo.Map[[]index.VocabWord] // the books' words by first letter
	shorts   memo.Map[[]expansion]       // readings of a shorthand word
	purposes memo.Map[[]string]          // an HCPCS title's "for ..." words
	values   memo.Map[[]interval]        // the values a text states, by text
	families memo.Map[*familyCodes]      // a 7th-character family's members
}

// New prepares suggestion over the code book.
func New(cb *coding.Codebook, syn *synonyms.Synonyms) *Suggester {
	return &Suggester{cb: cb, syn: syn}
}

// candidates is how many codes the text search hands to the ranking.
const candidates = 120

// minCoverage is the share of the query's weight a code's best text must
// match to be offered at all: below it, "not found" is the honest answer.
const minCoverage = 0.45

// Suggest ranks codes for one query.
func (s *Suggester) Suggest(query string, opt Options) (*Result, error) {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	res := &Result{Query: query, Results: []Suggestion{}}
	if f := strings.Fields(query); len(f) > maxReadWords {
		// A pasted note is not one diagnosis: ranking reads a few dozen
		// words, and every further word only widens the search.
		query = strings.Join(f[:maxReadWords], " ")
		res.Warnings = append(res.Warnings, fmt.Sprintf("the query has %d words; only the first %d were read", len(f), maxReadWords))
	}
	enc, err := encounterOf(opt.Encounter)
	if err != nil {
		return nil, err
	}
	warn := func(w string) {
		if !slices.Contains(res.Warnings, w) {
			res.Warnings = append(res.Warnings, w)
		}
	}
	all, err := s.across(query, enc, opt, minCoverage, warn)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 || all[0].Score < clauseFit {
		parts, err := s.byClause(query, opt, len(all) > 0)
		if err != nil {
			return nil, err
		}
		all = mergeByScore(all, parts)
	}
	if len(all) == 0 {
		// Every word means something to the books, yet no code says
		// enough of them: the nearest codes, marked, not "not found".
		if all, err = s.across(query, enc, opt, lowCoverage, warn); err != nil {
			return nil, err
		}
		for i := range all {
			all[i].LowConfidence = true
		}
	}
	if len(all) > opt.Limit {
		all = all[:opt.Limit]
	}
	if all != nil {
		res.Results = all
	}
	res.NotFound = len(all) == 0
	return res, nil
}

// lowCoverage is the share of the query's weight a code must match to be
// offered, marked low-confidence, when no code reaches minCoverage and
// every word of the query is one the books use.
const lowCoverage = 0.25

// across ranks the codes of each system for a query, side by side, best
// first: those matching at least minCov of it.
func (s *Suggester) across(query, enc string, opt Options, minCov float64, warn func(string)) ([]Suggestion, error) {
	// Each system is searched and ranked on its own, side by side.
	systems := []codeset.System{codeset.ICD10CM, codeset.HCPCS}
	got := make([][]Suggestion, len(systems))
	errs := make([]error, len(systems))
	var wg sync.WaitGroup
	for i, sys := range systems {
		if opt.System != "" && opt.System != sys {
			continue
		}
		rel, note, err := s.cb.ReleaseFor(sys, opt.Pick)
		if err != nil {
			return nil, err
		}
		if rel == nil {
			continue
		}
		if note != "" {
			warn(note)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			live := s.notDeleted(liveIn(rel.Release.Effective(), opt.Date), opt.Date)
			got[i], errs[i] = s.suggestIn(rel.ID, sys, query, enc, opt, live, minCov)
		}()
	}
	wg.Wait()
	var all []Suggestion
	for i := range systems {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, got[i]...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Score != all[j].Score {
			return all[i].Score > all[j].Score
		}
		return all[i].Code < all[j].Code
	})
	return all, nil
}

// maxReadWords is how many words of a query are read; the scorer weighs
// at most maxQueryWords analysed words of them.
const maxReadWords = 2 * maxQueryWords

// maxClauses is how many comma-separated parts are answered on their own.
const maxClauses = 6

// clauseFit is the score under which the best code for a whole query
// with commas does not say all of it, and its parts are answered too.
const clauseFit = 0.8

// mergeByScore joins two result lists, a code once with its better
// score, best first.
func mergeByScore(a, b []Suggestion) []Suggestion {
	if len(b) == 0 {
		return a
	}
	best := map[string]int{}
	var out []Suggestion
	for _, sg := range append(append([]Suggestion(nil), a...), b...) {
		key := string(sg.System) + "/" + sg.Code
		if i, ok := best[key]; ok {
			if sg.Score > out[i].Score {
				out[i] = sg
			}
			continue
		}
		best[key] = len(out)
		out = append(out, sg)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].System != out[j].System {
			return out[i].System < out[j].System
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// byClause answers a query that nothing fits as a whole from its
// comma-separated parts: a chart line often lists two things ("morbid
// obesity, BMI 42"), and no one code says both. Each result names the part
// it answers; parts are ranked together by score.
//
// Beside codes that fit the whole query loosely (scaled), a part's code
// counts for the part's share of the query's words: it says that much.
func (s *Suggester) byClause(query string, opt Options, scaled bool) ([]Suggestion, error) {
	var parts []string
	for _, p := range strings.Split(query, ",") {
		// A one-word part ("closed", "right") qualifies the rest; alone it
		// names nothing to code.
		if p = strings.TrimSpace(p); len(synonyms.QueryWords(p)) >= 2 && len(parts) < maxClauses {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return nil, nil
	}
	best := map[string]Suggestion{}
	// The parts are answered side by side: each is a query of its own.
	rs := make([]*Result, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs[i], errs[i] = s.Suggest(p, opt)
		}()
	}
	wg.Wait()
	for i, p := range parts {
		r, err := rs[i], errs[i]
		if err != nil {
			return nil, err
		}
		share := 1.0
		if scaled {
			share = float64(len(synonyms.QueryWords(p))) / float64(len(synonyms.QueryWords(query)))
		}
		for _, sg := range r.Results {
			sg.Score = round3(sg.Score * share)
			sg.Why = "part of the query: " + strconv.Quote(p) + "; " + sg.Why
			key := string(sg.System) + "/" + sg.Code
			if old, ok := best[key]; !ok || sg.Score > old.Score {
				best[key] = sg
			}
		}
	}
	var all []Suggestion
	for _, sg := range best {
		all = append(all, sg)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Score != all[j].Score {
			return all[i].Score > all[j].Score
		}
		if all[i].System != all[j].System {
			return all[i].System < all[j].System
		}
		return all[i].Code < all[j].Code
	})
	return all, nil
}

// concept is one thing the query says, with the ways it may be written.
type concept struct {
	label string     // as the user wrote it
	alts  [][]string // analysed alternatives
	// fits are how surely each alternative is meant, 1 for all when nil:
	// the readings of a shorthand word are not all as likely.
	fits   []float64
	weight float64
	why    string // how the query was read, for Why ("HTN = hypertension")
	// negated concepts follow "without", "no", "w/o": the code should say
	// "without" them, and a code that has them is the wrong one.
	negated bool
}

// reading is one interpretation of the query; ambiguous abbreviations give
// several, and each is ranked.
type reading struct {
	concepts []concept
	notes    []string
	enc      string // encounter named in the words
	// without: the query says "without", "w/o" or "no" something.
	without bool
}

func (s *Suggester) suggestIn(rel string, sys codeset.System, query, enc string, opt Options, live func(*index.Entry) bool, minCov float64) ([]Suggestion, error) {
	readings, err := s.read(rel, sys, query)
	if err != nil {
		return nil, err
	}
	if minCov < minCoverage {
		// A loose fit is offered only for a reading the books understand
		// word by word: "not found" stays for text that means nothing to
		// them.
		var known []reading
		for _, rd := range readings {
			ok, err := s.understood(rel, rd)
			if err != nil {
				return nil, err
			}
			if ok {
				known = append(known, rd)
			}
		}
		readings = known
	}
	// Each reading offers a few more than asked for, as readings and
	// systems are merged; --billable filters after, so it takes them all.
	keep := 3*opt.Limit + 10
	if opt.Billable {
		keep = 0
	}
	// Readings are ranked side by side, two at a time: an ambiguous
	// abbreviation should not make a coder wait for each meaning in turn.
	got := make([][]Suggestion, len(readings))
	errs := make([]error, len(readings))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, rd := range readings {
		if len(rd.concepts) == 0 {
			continue
		}
		e := enc
		if e == "" {
			e = rd.enc
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i], errs[i] = s.rank(rel, sys, rd, e, keep, live, minCov)
		}()
	}
	wg.Wait()
	best := map[string]Suggestion{}
	for i := range readings {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for _, g := range got[i] {
			if old, ok := best[g.Code]; !ok || g.Score > old.Score {
				best[g.Code] = g
			}
		}
	}
	out := make([]Suggestion, 0, len(best))
	for _, g := range best {
		if opt.Billable && !g.Billable {
			continue
		}
		out = append(out, g)
	}
	return out, nil
}

// stopWords carry no meaning for ranking.
var stopWords = map[string]bool{
	"of": true, "the": true, "a": true, "an": true, "and": true, "or": true, "in": true, "on": true,
	"at": true, "to": true, "for": true, "by": true, "is": true, "as": true, "pt": true, "patient": true,
	"left": false, "right": false,
}

// freeWords in a code's text are not held against it when the query does
// not say them: a coder picks the "unspecified" code when the chart gives no
// more detail, and index entries name their main term's grammar words.
var freeWords = map[string]bool{
	"unspecifi": true, "unspecified": true, "nos": true, "of": true, "the": true, "and": true, "or": true,
	"in": true, "with": true, "to": true, "due": true, "by": true, "for": true, "a": true, "an": true,
	"site": true, "type": true, "as": true, "on": true, "at": true, "condit": true, "diseas": true,
	"uncompl": true, "uncomplic": true, "encount": true, "initi": true,
	// The possessive of an eponym ("Parkinson's") splits off an "s".
	"s": true,
	// "without" is deliberately not free: the words it negates are, but a
	// code that rules something out the chart never mentioned fits a
	// little less than one that says nothing of it (measured on the
	// development set).
}

// negationWords start a negated clause; clauseBreaks end one.
var negationWords = map[string]bool{"without": true, "no": true, "not": true, "w/o": true, "denies": true}
var clauseBreaks = map[string]bool{"with": true, "and": false, "but": true, "w": true}

// encounterWords name the encounter in a query.
var encounterWords = map[string]string{"initi": "initial", "subsequ": "subsequent", "sequela": "sequela"}

func encounterOf(s string) (string, error) {
	switch strings.ToLower(s) {
	case "", "initial", "subsequent", "sequela":
		return strings.ToLower(s), nil
	case "a":
		return "initial", nil
	case "d":
		return "subsequent", nil
	case "s":
		return "sequela", nil
	}
	return "", fmt.Errorf("invalid encounter %q: want initial, subsequent or sequela", s)
}

// read turns a query into readings: abbreviations expanded, synonyms
// attached, misspellings corrected against the index's own vocabulary.
func (s *Suggester) read(rel string, sys codeset.System, query string) ([]reading, error) {
	type slot struct {
		label    string
		meanings []string // one per reading when ambiguous
		alts     []string // interchangeable forms of one meaning
		fits     []float64
		why      string
		drop     bool
		// clause: the slot starts a new clause (after a comma), which
		// ends a negation.
		clause bool
	}
	var slots []slot
	for c, clause := range strings.FieldsFunc(query, func(r rune) bool { return r == ',' || r == ';' }) {
		words := synonyms.QueryWords(clause)
		first := len(slots)
		for i := 0; i < len(words); {
			if words[i] == "non" && i+1 < len(words) {
				// The code books write most "non-" words closed up
				// ("nonproliferative", "nontraumatic") and a few open
				// ("Non-ST elevation"): look for both.
				w := words[i+1]
				slots = append(slots, slot{label: "non-" + w, alts: []string{"non " + w, "non" + w}})
				i += 2
				continue
			}
			matched := false
			for n := min(s.syn.MaxWords, len(words)-i); n >= 1 && !matched; n-- {
				phrase := strings.Join(words[i:i+n], " ")
				if exp, ok := s.syn.Abbrev[phrase]; ok {
					sl := slot{label: phrase}
					switch len(exp) {
					case 0:
						sl.drop = true
					case 1:
						sl.alts = append([]string{exp[0]}, s.syn.Equiv[exp[0]]...)
						if exp[0] != phrase {
							sl.why = phrase + " = " + exp[0]
						}
					default:
						sl.meanings = exp
					}
					slots = append(slots, sl)
					i += n
					matched = true
				} else if eq, ok := s.syn.Equiv[phrase]; ok && n > 1 || ok && n == 1 {
					slots = append(slots, slot{label: phrase, alts: append([]string{phrase}, eq...)})
					i += n
					matched = true
				}
			}
			if !matched {
				if base := s.syn.InflectedFrom(words[i]); base != "" {
					// "bruised" is "bruise", and means "contusion" too.
					alts := append([]string{words[i], base}, s.syn.Equiv[base]...)
					slots = append(slots, slot{label: words[i], alts: alts})
					i++
					continue
				}
				exp, err := s.learned(rel, words[i])
				if err != nil {
					return nil, err
				}
				exps, err := s.shorthand(rel, words[i], exp)
				if err != nil {
					return nil, err
				}
				switch {
				case exp != "":
					slots = append(slots, slot{label: words[i], alts: append([]string{exp}, s.syn.Equiv[exp]...), why: words[i] + " = " + exp})
				case len(exps) > 0:
					// The raw word stays, last: a misspelling is still
					// corrected.
					sl := slot{label: words[i], why: words[i] + " read as shorthand"}
					for _, e := range exps {
						sl.alts = append(sl.alts, e.word)
						sl.fits = append(sl.fits, e.fit)
					}
					if exps[0].word != words[i] {
						sl.alts = append(sl.alts, words[i])
						sl.fits = append(sl.fits, 1)
					}
					slots = append(slots, sl)
				default:
					slots = append(slots, slot{label: words[i], alts: []string{words[i]}})
				}
				i++
			}
		}
		if c > 0 && len(slots) > first {
			slots[first].clause = true
		}
	}
	readings := []reading{{}}
	negating := false
	for _, sl := range slots {
		if sl.clause {
			negating = false
		}
		if sl.drop {
			continue
		}
		// "without perforation or bleeding": the words after a negation, up
		// to a clause break, are what the code must be without.
		if len(sl.alts) > 0 && negationWords[sl.alts[0]] {
			negating = true
			for r := range readings {
				readings[r].without = true
			}
			continue
		}
		if len(sl.alts) > 0 && clauseBreaks[sl.alts[0]] {
			negating = false
		}
		if len(sl.meanings) == 0 {
			for r := range readings {
				readings[r].add(sl.label, sl.alts, sl.why)
				last := &readings[r].concepts[len(readings[r].concepts)-1]
				last.negated, last.fits = negating, sl.fits
			}
			continue
		}
		// An ambiguous abbreviation multiplies the readings, up to a cap
		// that keeps a pathological query cheap.
		var next []reading
		for _, rd := range readings {
			for _, m := range sl.meanings {
				if len(next) >= 8 {
					break
				}
				c := rd.clone()
				if m != "" {
					c.add(sl.label, append([]string{m}, s.syn.Equiv[m]...), sl.label+" = "+m+" (one of "+strings.Join(sl.meanings, ", ")+")")
					c.concepts[len(c.concepts)-1].negated = negating
				}
				next = append(next, c)
			}
		}
		readings = next
	}
	for r := range readings {
		if err := s.analyse(rel, sys, &readings[r]); err != nil {
			return nil, err
		}
	}
	return readings, nil
}

func (rd *reading) add(label string, alts []string, why string) {
	rd.concepts = append(rd.concepts, concept{label: label, why: why, alts: [][]string{}})
	last := &rd.concepts[len(rd.concepts)-1]
	for _, a := range alts {
		last.alts = append(last.alts, []string{a}) // analysed later
	}
}

func (rd reading) clone() reading {
	c := reading{notes: append([]string(nil), rd.notes...), enc: rd.enc, without: rd.without}
	c.concepts = append(c.concepts, rd.concepts...)
	return c
}

// analyse stems each alternative, drops stop words and, for ICD-10-CM,
// encounter words (they choose a 7th character, not a code), fixes
// misspellings and weighs
// each concept by how rare its words are.
func (s *Suggester) analyse(rel string, sys codeset.System, rd *reading) error {
	var kept []concept
	for _, c := range rd.concepts {
		var alts [][]string
		var fits []float64
		for ai, a := range c.alts {
			toks, err := s.cb.Index().Analyze(rel, a[0])
			if err != nil {
				return err
			}
			var out []string
			for _, t := range toks {
				if stopWords[t] {
					continue
				}
				// In ICD-10-CM the encounter picks a 7th character. The
				// words stay in the query too: the full 7-character titles
				// say them, and "sequelae of stroke" is a code of its own.
				if e, ok := encounterWords[t]; ok && sys == codeset.ICD10CM {
					rd.enc = e
				}
				if fixed, note, err := s.fix(rel, t); err != nil {
					return err
				} else if note != "" {
					rd.notes = append(rd.notes, note)
					t = fixed
				}
				out = append(out, t)
			}
			if len(out) > 0 {
				alts = append(alts, out)
				if c.fits != nil {
					fits = append(fits, c.fits[ai])
				}
			}
		}
		if len(alts) == 0 {
			continue
		}
		c.alts, c.fits = alts, fits
		// A concept weighs what the words as written weigh: a rare synonym
		// ("broken bone" for fracture) must not make a common word decide
		// the ranking.
		// An abbreviation written as one word stands for a whole phrase
		// ("CHF"): its weight adds its next rarest word's, half counted.
		w, w2 := 0.0, 0.0
		for _, t := range alts[0] {
			v, err := s.termIDF(rel, t)
			if err != nil {
				return err
			}
			if v > w {
				w, w2 = v, w
			} else if v > w2 {
				w2 = v
			}
		}
		c.weight = w + 0.5*w2
		kept = append(kept, c)
	}
	rd.concepts = kept
	return nil
}

// understood tells whether every concept of a reading has a word the
// release's texts use.
func (s *Suggester) understood(rel string, rd reading) (bool, error) {
	if len(rd.concepts) == 0 {
		return false, nil
	}
	for _, c := range rd.concepts {
		known := false
		for _, a := range c.alts {
			for _, t := range a {
				df, err := s.cb.Index().DocFreq(rel, t)
				if err != nil {
					return false, err
				}
				if df > 0 {
					known = true
				}
			}
		}
		if !known {
			return false, nil
		}
	}
	return true, nil
}

// fix corrects a word the index does not know. Numbers and short words are
// left alone: "3a" or "xr" are not typos of something else.
func (s *Suggester) fix(rel, t string) (string, string, error) {
	fixed, err := s.fixes.Get(rel+"/"+t, func() (string, error) {
		if len(t) < 5 || hasDigit(t) {
			return "", nil
		}
		df, err := s.cb.Index().DocFreq(rel, t)
		if err != nil || df > 0 {
			return "", err
		}
		c, ok, err := s.cb.Index().Correct(rel, t)
		if err != nil || !ok {
			return "", err
		}
		return c, nil
	})
	if err != nil {
		return "", "", err
	}
	if fixed == "" {
		return t, "", nil
	}
	return fixed, "spelling: " + t + " -> " + fixed, nil
}

// learned is what a word stands for in the release's short titles ("clsn"
// for collision), for a word the code books' text does not hold itself:
// a real word is never read as someone's contraction.
func (s *Suggester) learned(rel, w string) (string, error) {
	return s.abbrevs.Get(rel+"/"+w, func() (string, error) {
		exp, err := s.cb.Index().Abbrev(rel, w)
		if err != nil || exp == "" {
			return "", err
		}
		toks, err := s.cb.Index().Analyze(rel, w)
		if err != nil {
			return "", err
		}
		for _, t := range toks {
			if df, err := s.cb.Index().DocFreq(rel, t); err != nil || df > 0 {
				return "", err
			}
		}
		return exp, nil
	})
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

func (s *Suggester) termIDF(rel, t string) (float64, error) {
	return s.idf.Get(rel+"/"+t, func() (float64, error) {
		df, err := s.cb.Index().DocFreq(rel, t)
		if err != nil {
			return 0, err
		}
		n, err := s.cb.Index().DocCount(rel)
		if err != nil {
			return 0, err
		}
		return math.Log(1 + float64(n)/float64(df+1)), nil
	})
}
