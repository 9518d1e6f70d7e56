package synonyms

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/medcode/medcode/coding"

	"gopkg.in/yaml.v3"
)

//go:generate go run gen_table.go

// synonymFile is the YAML schema, documented at the top of synonyms.yaml.
type synonymFile struct {
	Version       int                 `yaml:"version"`
	Abbreviations map[string][]string `yaml:"abbreviations"`
	Synonyms      [][]string          `yaml:"synonyms"`
}

// Synonyms expands clinical shorthand. Keys are lower-case phrases of one
// or more words, matched on word boundaries.
type Synonyms struct {
	// Abbrev maps a phrase to its meanings; several meanings make it
	// ambiguous, and each is searched. An empty list drops the phrase
	// ("r/o": a ruled-out condition is not coded).
	Abbrev map[string][]string
	// Equiv maps a phrase to the phrases it can stand for.
	Equiv map[string][]string
	// MaxWords is the longest key, for phrase matching.
	MaxWords int
}

// Load reads the built-in list and then each user file; a user
// entry replaces a built-in abbreviation of the same key.
func Load(userFiles ...string) (*Synonyms, error) {
	s := &Synonyms{Abbrev: map[string][]string{}, Equiv: map[string][]string{}}
	// The built-in list is compiled into Go (synonyms_table.go): parsing
	// its YAML took a quarter of a cold suggest.
	if err := s.addFile(builtinSynonymTable, "built-in synonyms.yaml"); err != nil {
		return nil, err
	}
	for _, f := range userFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := s.add(b, f); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Synonyms) add(b []byte, name string) error {
	f, err := parseSynonyms(b, name)
	if err != nil {
		return err
	}
	return s.addFile(f, name)
}

func parseSynonyms(b []byte, name string) (synonymFile, error) {
	var f synonymFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("%s: %v", name, coding.YAMLMessage(err))
	}
	return f, nil
}

func (s *Synonyms) addFile(f synonymFile, name string) error {
	if f.Version != 1 {
		return fmt.Errorf("%s: version %d, want 1", name, f.Version)
	}
	for k, v := range f.Abbreviations {
		key := normPhrase(k)
		if key == "" {
			return fmt.Errorf("%s: empty abbreviation", name)
		}
		vals := make([]string, 0, len(v))
		for _, x := range v {
			// "" among several meanings is the reading in which the
			// abbreviation says nothing to code ("s/p fall" is the fall).
			if x = normPhrase(x); x != "" || len(v) > 1 {
				vals = append(vals, x)
			}
		}
		s.Abbrev[key] = vals
		s.noteLen(key)
	}
	for i, group := range f.Synonyms {
		var g []string
		for _, x := range group {
			if x = normPhrase(x); x != "" {
				g = append(g, x)
			}
		}
		if len(g) < 2 {
			return fmt.Errorf("%s: synonym group %d has fewer than two entries", name, i+1)
		}
		for _, a := range g {
			for _, b := range g {
				if a != b && !slices.Contains(s.Equiv[a], b) {
					s.Equiv[a] = append(s.Equiv[a], b)
				}
			}
			s.noteLen(a)
		}
	}
	for k := range s.Equiv {
		sort.Strings(s.Equiv[k])
	}
	return nil
}

// InflectedFrom is the synonym-group word a query word inflects
// ("bruised", "bruises", "bruising": "bruise"), or "". Groups list base
// forms; charts write every form.
func (s *Synonyms) InflectedFrom(w string) string {
	if len(w) < 5 {
		return ""
	}
	var bases []string
	for _, suf := range []struct{ cut, add string }{
		{"d", ""}, {"ed", ""}, {"s", ""}, {"es", ""}, {"ing", ""}, {"ing", "e"},
	} {
		if strings.HasSuffix(w, suf.cut) {
			bases = append(bases, strings.TrimSuffix(w, suf.cut)+suf.add)
		}
	}
	for _, b := range bases {
		if _, ok := s.Equiv[b]; ok {
			return b
		}
	}
	return ""
}

func (s *Synonyms) noteLen(key string) {
	if n := len(strings.Fields(key)); n > s.MaxWords {
		s.MaxWords = n
	}
}

// normPhrase lower-cases and splits into words the way queries are split.
func normPhrase(s string) string {
	return strings.Join(QueryWords(s), " ")
}

// QueryWords splits text into lower-case words, keeping the slash forms
// charts use ("w/", "w/o", "s/p", "h/o") and stage forms ("3a") whole.
func QueryWords(s string) []string {
	s = strings.ToLower(s)
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			w := strings.Trim(cur.String(), "/")
			// Articles carry nothing and would break phrase matches
			// ("blood in the urine"); "a" stays, as in "influenza A".
			if w != "" && w != "the" && w != "an" {
				out = append(out, w)
			}
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c >= 0x80:
			cur.WriteByte(c)
		case c == '/':
			// "w/" and "w/o" keep their slash; "left/right" splits.
			if cur.Len() > 0 && cur.Len() <= 2 {
				cur.WriteByte(c)
				if i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z' && (i+2 >= len(s) || !isLetter(s[i+2])) {
					cur.WriteByte(s[i+1])
					i++
				}
				flush()
			} else {
				flush()
			}
		case c == '\'':
			// "Crohn's" -> "crohns" would not match the index; drop the 's.
			if i+1 < len(s) && s[i+1] == 's' && (i+2 >= len(s) || !isLetter(s[i+2])) {
				i++
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
