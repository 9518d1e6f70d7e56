package index

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// wordTokenizerName splits on anything that is not a letter or digit. Code
// titles are plain prose with codes in parentheses, so this gives the same
// tokens as the Unicode word-break tokenizer at a fraction of its cost,
// which is most of a load's time.
const wordTokenizerName = "medcode_words"

func init() {
	// Registering with bleve's registry is the only way to name a custom
	// tokenizer in a mapping; it is not command wiring.
	registry.RegisterTokenizer(wordTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	})
}

type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/6+1)
	start := -1
	pos := 1
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(input[i:])
		}
		word := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			out = append(out, token(input, start, i, pos))
			pos++
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, token(input, start, len(input), pos))
	}
	return out
}

func token(input []byte, start, end, pos int) *analysis.Token {
	typ := analysis.AlphaNumeric
	return &analysis.Token{Term: input[start:end], Start: start, End: end, Position: pos, Type: typ}
}
