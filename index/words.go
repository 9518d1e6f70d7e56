package index

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/go-porterstemmer"
)

// eachWord calls fn with the byte span of every word of input: a run of
// letters and digits. The text index's tokenizer and Stemmer share it, so
// both see the same words.
func eachWord(input string, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(input[i:])
		}
		word := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			fn(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(input))
	}
}

// Word is an analysed word of a text and where it stands in the text.
type Word struct {
	Term       string
	Start, End int
}

// Stemmer analyses text as the text index does (words, lower case, Porter
// stems) without going through bleve, remembering each word's stem: ranking
// analyses thousands of short texts that share their words.
type Stemmer struct {
	// Several rankings analyse at once; most words are known, so lookups
	// share the lock and only a new word takes it alone.
	mu   sync.RWMutex
	memo map[string]string
}

// NewStemmer returns an empty Stemmer.
func NewStemmer() *Stemmer { return &Stemmer{memo: map[string]string{}} }

// Words analyses a text.
func (s *Stemmer) Words(text string) []Word {
	var out []Word
	var fresh []int // indexes in out of words not yet known
	s.mu.RLock()
	eachWord(text, func(start, end int) {
		t, ok := s.memo[text[start:end]]
		if !ok {
			fresh = append(fresh, len(out))
		}
		out = append(out, Word{Term: t, Start: start, End: end})
	})
	s.mu.RUnlock()
	if len(fresh) == 0 {
		return out
	}
	for _, i := range fresh {
		w := &out[i]
		w.Term = string(porterstemmer.StemWithoutLowerCasing([]rune(strings.ToLower(text[w.Start:w.End]))))
	}
	s.mu.Lock()
	for _, i := range fresh {
		s.memo[text[out[i].Start:out[i].End]] = out[i].Term
	}
	s.mu.Unlock()
	return out
}
