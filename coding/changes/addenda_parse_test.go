package changes_test

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/medcode/medcode/codeset"
)

// The order-file addenda are what the change list is checked against; medcode
// itself takes every change from the order files, so the parser lives here.

// addendaRecord is one line of CMS's order-file addenda: a code added,
// deleted, or its titles before ("Revise from") and after ("Revise to").
type addendaRecord struct {
	Line     int
	Action   string // "Add", "Delete", "Revise from", "Revise to"
	Billable bool
	Code     string // undotted
	Short    string
	Long     string
}

// addendaActionWidth is the width of the action column ("Revise from: ").
const addendaActionWidth = 13

// parseAddenda reads the order-file addenda: each record is the action
// column, then an order-file record without its sequence number (flag,
// code, short title, long title). The summary that ends the file is not
// records and is left out.
func parseAddenda(r io.Reader, name string) ([]addendaRecord, error) {
	var out []addendaRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		action, _, ok := strings.Cut(line, ":")
		if !ok || !codeset.LooksLikeAddenda([]byte(line)) {
			continue
		}
		if len(line) < addendaActionWidth+10 {
			return nil, &codeset.LineError{File: name, Line: n, Err: fmt.Errorf("record too short")}
		}
		rec := line[addendaActionWidth:]
		flag := rec[0]
		if flag != '0' && flag != '1' || rec[1] != ' ' {
			return nil, &codeset.LineError{File: name, Line: n, Err: fmt.Errorf("flag %q is not 0 or 1", rec[:2])}
		}
		a := addendaRecord{Line: n, Action: action, Billable: flag == '1', Code: strings.TrimSpace(rec[2:min(9, len(rec))])}
		if len(rec) > 10 {
			a.Short = strings.TrimSpace(rec[10:min(70, len(rec))])
		}
		if len(rec) > 71 {
			a.Long = strings.TrimSpace(rec[71:])
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, &codeset.LineError{File: name, Line: n, Err: err}
	}
	return out, nil
}
