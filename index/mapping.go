package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names of the text documents, one document per code.
const (
	FieldTitle    = "title"    // long title or HCPCS long description
	FieldIncl     = "incl"     // inclusion terms and "includes" notes
	FieldIndex    = "idx"      // Alphabetic Index, drug and neoplasm entries
	FieldBillable = "billable" // "y" or "n"
)

// analyzerStem keeps stop words: "with" and "without" decide between
// codes, so they must stay searchable.
const (
	analyzerStem  = "medstem"
	analyzerPlain = "medplain"
)

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerStem, map[string]any{
		"type":          custom.Name,
		"tokenizer":     wordTokenizerName,
		"token_filters": []string{lowercase.Name, porter.Name},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerPlain, map[string]any{
		"type":          custom.Name,
		"tokenizer":     wordTokenizerName,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	text := func(an string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = an
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	kw := bleve.NewTextFieldMapping()
	kw.Analyzer = keyword.Name
	kw.Store, kw.IncludeInAll, kw.IncludeTermVectors, kw.DocValues = false, false, false, false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, text(analyzerStem))
	doc.AddFieldMappingsAt(FieldIncl, text(analyzerStem))
	doc.AddFieldMappingsAt(FieldIndex, text(analyzerStem))
	doc.AddFieldMappingsAt(FieldBillable, kw)
	// No field goes to _all, so skip building the composite field at all.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerStem
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}
