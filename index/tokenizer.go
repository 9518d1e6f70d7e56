package index

import (
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
	pos := 1
	eachWord(string(input), func(start, end int) {
		out = append(out, &analysis.Token{Term: input[start:end], Start: start, End: end, Position: pos, Type: analysis.AlphaNumeric})
		pos++
	})
	return out
}
