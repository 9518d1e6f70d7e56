package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

// termBucket is the bucket of one index book, so that loading a newer drug
// table replaces the drug terms and leaves the others.
func termBucket(book codeset.IndexBook) []byte { return []byte("terms:" + string(book)) }

var allBooks = []codeset.IndexBook{codeset.BookDiseases, codeset.BookExternalCause, codeset.BookDrugs, codeset.BookNeoplasms}

var kindBook = map[codeset.Kind]codeset.IndexBook{
	codeset.KindIndex:    codeset.BookDiseases,
	codeset.KindEIndex:   codeset.BookExternalCause,
	codeset.KindDrug:     codeset.BookDrugs,
	codeset.KindNeoplasm: codeset.BookNeoplasms,
}

// createRelease makes a release's directory and bbolt file. Writes skip
// fsync: the whole generation is synced before it is swapped in.
func createRelease(dir string, rel codeset.Release) (*bolt.DB, *ReleaseInfo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	db, err := bolt.Open(filepath.Join(dir, "codes.db"), 0o600, &bolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		return nil, nil, err
	}
	info := &ReleaseInfo{Release: rel, ID: rel.ID(), Effective: rel.Effective().Format("2006-01-02"), Through: rel.Through().Format("2006-01-02")}
	return db, info, nil
}

// buildRelease writes one release's bbolt file from a bundle, taking what the
// bundle does not replace from the release as previously loaded (old, which
// may be nil).
func buildRelease(dir string, b *codeset.Bundle, old *store, oldInfo *ReleaseInfo) (*ReleaseInfo, error) {
	db, info, err := createRelease(dir, b.Release)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rel := b.Release
	sources := map[codeset.Kind]SourceInfo{}
	if oldInfo != nil {
		for _, s := range oldInfo.Sources {
			sources[s.Kind] = s
		}
	}
	replaced := map[string]bool{}
	record := func(f *codeset.File) {
		sources[f.Source.Kind] = SourceInfo{Kind: f.Source.Kind, File: f.Source.Path, Year: f.Year, Records: f.Records}
	}

	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := putJSON(meta, keyRelease, rel); err != nil {
			return err
		}
		codes := map[string]bool{}
		if b.Table != nil {
			// A new code table makes the other table kind stale: an order file
			// and a codes file describe the same list.
			for _, k := range []codeset.Kind{codeset.KindOrder, codeset.KindCodes, codeset.KindHCPCS} {
				delete(sources, k)
			}
			record(b.Table)
			if b.Extra != nil {
				record(b.Extra)
				if b.Extra.Table != nil && b.Table.Table != nil {
					info.Warnings = append(info.Warnings, tableDisagreements(b.Table, b.Extra)...)
				}
			}
			replaced[string(bucketCodes)] = true
			if err := writeCodes(tx, b.Table, info, codes); err != nil {
				return err
			}
		} else {
			if old == nil {
				return fmt.Errorf("%s: no code table", rel.ID())
			}
			if err := copyBucket(tx, old.db, bucketCodes); err != nil {
				return err
			}
			if err := copyBucket(tx, old.db, bucketAbbrev); err != nil {
				return err
			}
			if err := countCodes(tx, rel.System, info, codes); err != nil {
				return err
			}
		}

		if f := b.Supplements[codeset.KindTabular]; f != nil {
			record(f)
			replaced[string(bucketNotes)] = true
			if err := writeTabular(tx, meta, f, info, codes); err != nil {
				return err
			}
		} else if old != nil {
			if err := copyBucket(tx, old.db, bucketNotes); err != nil {
				return err
			}
			if err := copyKey(meta, old.db, bucketMeta, keyStructure); err != nil {
				return err
			}
			if err := copyBucket(tx, old.db, bucketTabularCodes); err != nil {
				return err
			}
		}

		termCounts := map[codeset.IndexBook]int{}
		for _, book := range allBooks {
			var f *codeset.File
			for k, bk := range kindBook {
				if bk == book {
					f = b.Supplements[k]
				}
			}
			if f == nil {
				if old != nil {
					if err := copyBucket(tx, old.db, termBucket(book)); err != nil {
						return err
					}
					if book == codeset.BookDiseases {
						if err := copyBucket(tx, old.db, bucketAlpha); err != nil {
							return err
						}
					}
				}
				continue
			}
			record(f)
			n, dropped, err := writeTerms(tx, book, f.Index, codes)
			if err != nil {
				return err
			}
			if book == codeset.BookDiseases {
				if err := writeAlpha(tx, f.Index); err != nil {
					return err
				}
			}
			termCounts[book] = n
			if dropped > 0 {
				info.Warnings = append(info.Warnings, fmt.Sprintf("%s: %d of %d entries lead to codes not in %s and were left out", f.Source.Path, dropped, len(f.Index.Terms), rel.ID()))
			}
		}

		if f := b.Supplements[codeset.KindProcNotes]; f != nil {
			record(f)
			pb, err := tx.CreateBucket(bucketProcNotes)
			if err != nil {
				return err
			}
			for k, v := range f.ProcNotes {
				if err := pb.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		} else if old != nil {
			if err := copyBucket(tx, old.db, bucketProcNotes); err != nil {
				return err
			}
		}
		if err := writeConversion(tx, b, old, record); err != nil {
			return err
		}
		info.Terms = 0
		info.TermsByBook = map[codeset.IndexBook]int{}
		for _, book := range allBooks {
			n := termCounts[book]
			if _, fresh := termCounts[book]; !fresh && oldInfo != nil {
				n = oldInfo.TermsByBook[book]
			}
			if n > 0 {
				info.TermsByBook[book] = n
				info.Terms += n
			}
		}
		if err := writeManifestations(tx); err != nil {
			return err
		}
		if nb := tx.Bucket(bucketNotes); nb != nil {
			info.Notes = 0
			_ = nb.ForEach(func(_, _ []byte) error { info.Notes++; return nil })
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := db.Sync(); err != nil {
		return nil, err
	}
	for _, s := range sources {
		info.Sources = append(info.Sources, s)
	}
	sort.Slice(info.Sources, func(i, j int) bool { return info.Sources[i].Kind < info.Sources[j].Kind })
	// Year mismatches are judged on the sources the release ends up with,
	// kept ones included; other warnings of kept sources name their file.
	var warns []string
	for _, src := range info.Sources {
		if src.Kind != codeset.KindOrder && src.Kind != codeset.KindCodes && src.Kind != codeset.KindHCPCS &&
			src.Year != 0 && src.Year != rel.Year && rel.System == src.Kind.System() {
			warns = append(warns, codeset.YearMismatch(src.Kind, src.Year, rel))
		}
	}
	if oldInfo != nil {
		for _, w := range oldInfo.Warnings {
			for _, src := range info.Sources {
				// A code table loaded again has said its warnings again.
				reloaded := b.Table != nil && (src.Kind == codeset.KindOrder || src.Kind == codeset.KindCodes || src.Kind == codeset.KindHCPCS)
				if !reloaded && sourceKept(oldInfo, src) && strings.Contains(w, src.File+":") && !contains(warns, w) {
					warns = append(warns, w)
				}
			}
		}
	}
	info.Warnings = append(warns, info.Warnings...)
	return info, nil
}

func sourceKept(old *ReleaseInfo, s SourceInfo) bool {
	for _, o := range old.Sources {
		if o == s {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func writeCodes(tx *bolt.Tx, f *codeset.File, info *ReleaseInfo, codes map[string]bool) (err error) {
	b, err := tx.CreateBucket(bucketCodes)
	if err != nil {
		return err
	}
	b.FillPercent = 1 // keys arrive mostly sorted
	learn := codeset.NewAbbrevLearner()
	defer func() {
		if err == nil {
			err = writeAbbrevs(tx, learn.Result())
		}
	}()
	if f.HCPCS != nil {
		recs := append([]codeset.HCPCSRecord(nil), f.HCPCS.Records...)
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].Code < recs[j].Code })
		for i := range recs {
			r := &recs[i]
			if err := putJSON(b, []byte(r.Code), r); err != nil {
				return err
			}
			codes[r.Code] = true
			learn.Add(r.LongDesc, r.ShortDesc)
			if r.IsModifier {
				info.Modifiers++
			} else {
				info.Billable++
			}
		}
		info.Codes = len(recs)
		return nil
	}
	for _, c := range f.Table.Codes {
		if err := putJSON(b, []byte(c.Code), storedCode{Title: c.Long, Short: c.Short, Billable: c.Billable, Order: c.Order}); err != nil {
			return err
		}
		codes[c.Code] = true
		learn.Add(c.Long, c.Short)
		if c.Billable {
			info.Billable++
		} else {
			info.Headers++
		}
	}
	info.Codes = len(f.Table.Codes)
	if !f.Table.HasHeaders {
		info.Warnings = append(info.Warnings, "only the codes file was loaded: header codes and short titles are missing (load the order file for them)")
	}
	return nil
}

func countCodes(tx *bolt.Tx, sys codeset.System, info *ReleaseInfo, codes map[string]bool) error {
	b := tx.Bucket(bucketCodes)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		codes[string(k)] = true
		info.Codes++
		if sys == codeset.HCPCS {
			var r codeset.HCPCSRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.IsModifier {
				info.Modifiers++
			} else {
				info.Billable++
			}
			return nil
		}
		var c storedCode
		if err := json.Unmarshal(v, &c); err != nil {
			return err
		}
		if c.Billable {
			info.Billable++
		} else {
			info.Headers++
		}
		return nil
	})
}

// maxDisagreements caps the records a load report names; the count is
// always given.
const maxDisagreements = 10

// tableDisagreements checks a codes file against the order file of its
// release record by record, and names both lines of each disagreement.
func tableDisagreements(order, codes *codeset.File) []string {
	ds := codeset.CompareCodesToOrder(order.Table, codes.Table)
	if len(ds) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("%s and %s disagree on %d codes", codes.Source.Path, order.Source.Path, len(ds))}
	for i := range ds {
		if i == maxDisagreements {
			out = append(out, fmt.Sprintf("... and %d more", len(ds)-maxDisagreements))
			break
		}
		out = append(out, ds[i].Describe(order.Source.Path, codes.Source.Path))
	}
	return out
}

func writeTabular(tx *bolt.Tx, meta *bolt.Bucket, f *codeset.File, info *ReleaseInfo, codes map[string]bool) error {
	nb, err := tx.CreateBucket(bucketNotes)
	if err != nil {
		return err
	}
	var chapters []Chapter
	missing := 0
	var walk func(d *codeset.TabularDiag) error
	var printed []string
	walk = func(d *codeset.TabularDiag) error {
		printed = append(printed, d.Code)
		if !d.Notes.Empty() {
			if codes[d.Code] {
				if err := putJSON(nb, []byte(d.Code), d.Notes); err != nil {
					return err
				}
			} else {
				missing++
			}
		}
		for _, c := range d.Children {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range f.Tabular.Chapters {
		ch := Chapter{Num: c.Num, Title: c.Desc, Notes: c.Notes}
		for _, s := range c.Sections {
			ch.Sections = append(ch.Sections, Section{ID: s.ID, First: s.First, Last: s.Last, Title: s.Desc, Notes: s.Notes, Within: s.Within, Categories: s.Categories()})
			for _, d := range s.Diags {
				if err := walk(d); err != nil {
					return err
				}
			}
		}
		chapters = append(chapters, ch)
	}
	if missing > 0 {
		info.Warnings = append(info.Warnings, fmt.Sprintf("%s: notes of %d codes not in %s were left out", f.Source.Path, missing, info.ID))
	}
	sort.Strings(printed)
	tb, err := tx.CreateBucket(bucketTabularCodes)
	if err != nil {
		return err
	}
	tb.FillPercent = 1 // sorted keys
	for _, c := range printed {
		if err := tb.Put([]byte(c), nil); err != nil {
			return err
		}
	}
	return putJSON(meta, keyStructure, chapters)
}

// writeTerms stores each index entry under the code it leads to. A code the
// release no longer has goes to its nearest existing ancestor, which keeps
// an older index useful after a category was expanded; a code with no
// ancestor in the release is dropped and counted.
func writeTerms(tx *bolt.Tx, book codeset.IndexBook, ix *codeset.Index, codes map[string]bool) (kept, dropped int, err error) {
	tb, err := tx.CreateBucket(termBucket(book))
	if err != nil {
		return 0, 0, err
	}
	byCode := map[string][]Term{}
	resolve := func(printed string) string {
		code := strings.TrimRight(codeset.UndotICD(printed), "-")
		for code != "" && !codes[code] {
			code = codeset.ICDParent(code)
		}
		return code
	}
	// A "see" entry leads to another entry's code: "Grippe - see
	// Influenza". Older and lay words are often only there, so they are
	// kept under the code the referenced entry gives.
	var refs *seeIndex
	if book == codeset.BookDiseases || book == codeset.BookExternalCause {
		refs = newSeeIndex(ix.Terms)
	}
	for i := range ix.Terms {
		t := &ix.Terms[i]
		if t.Code == "" {
			if t.See == "" || refs == nil {
				continue
			}
			if target := refs.target(t.See, mainTerm(t.Path)); target != "" {
				if code := resolve(target); code != "" {
					byCode[code] = append(byCode[code], Term{Book: book, Text: termText(t), See: t.See})
					kept++
				}
			}
			continue
		}
		code := resolve(t.Code)
		if code == "" {
			dropped++
			continue
		}
		term := Term{Book: book, Text: termText(t), Column: t.Column}
		if t.Manif != "" {
			term.Manif = codeset.UndotICD(strings.TrimRight(t.Manif, "-"))
		}
		byCode[code] = append(byCode[code], term)
		kept++
	}
	keys := make([]string, 0, len(byCode))
	for k := range byCode {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := putJSON(tb, []byte(k), byCode[k]); err != nil {
			return 0, 0, err
		}
	}
	return kept, dropped, nil
}

// termText renders an index path as the book prints it, one level per
// " > ", with nonessential modifiers in their parentheses.
func termText(t *codeset.IndexTerm) string {
	parts := make([]string, len(t.Path))
	for i, p := range t.Path {
		parts[i] = p
		if i < len(t.Nemod) && t.Nemod[i] != "" {
			parts[i] += " " + t.Nemod[i]
		}
	}
	return strings.Join(parts, " > ")
}

func copyBucket(tx *bolt.Tx, from *bolt.DB, name []byte) error {
	return from.View(func(ftx *bolt.Tx) error {
		src := ftx.Bucket(name)
		if src == nil {
			return nil
		}
		dst, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		dst.FillPercent = 1
		return src.ForEach(func(k, v []byte) error { return dst.Put(k, v) })
	})
}

func copyKey(dst *bolt.Bucket, from *bolt.DB, bucket, key []byte) error {
	return from.View(func(ftx *bolt.Tx) error {
		if b := ftx.Bucket(bucket); b != nil {
			if v := b.Get(key); v != nil {
				return dst.Put(key, append([]byte(nil), v...))
			}
		}
		return nil
	})
}

var bucketManif = []byte("manif")

// writeManifestations records the codes the Alphabetic Index prints in
// brackets after an etiology ("Amyloid heart E85.4 [I43]"): manifestation
// codes, which may not be sequenced first. It is derived from the kept and
// new term buckets alike, so it is rebuilt on every load of the release.
func writeManifestations(tx *bolt.Tx) error {
	tb := tx.Bucket(termBucket(codeset.BookDiseases))
	if tb == nil {
		return nil
	}
	codes := map[string]bool{}
	err := tb.ForEach(func(_, v []byte) error {
		if !bytes.Contains(v, []byte(`"manif"`)) {
			return nil
		}
		var ts []Term
		if err := json.Unmarshal(v, &ts); err != nil {
			return err
		}
		for _, t := range ts {
			if t.Manif != "" {
				codes[t.Manif] = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	mb, err := tx.CreateBucket(bucketManif)
	if err != nil {
		return err
	}
	for c := range codes {
		if err := mb.Put([]byte(c), []byte{1}); err != nil {
			return err
		}
	}
	return nil
}

var bucketAbbrev = []byte("abbrev")

// writeAbbrevs stores the abbreviations learned from the release's short
// titles, for reading the same shorthand in a query.
func writeAbbrevs(tx *bolt.Tx, m map[string]string) error {
	b, err := tx.CreateBucket(bucketAbbrev)
	if err != nil {
		return err
	}
	for _, k := range codeset.SortedAbbrevs(m) {
		if err := b.Put([]byte(k), []byte(m[k])); err != nil {
			return err
		}
	}
	return nil
}
