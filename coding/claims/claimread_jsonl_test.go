package claims

import (
	"strings"
	"testing"
)

func crReadJSONL(t *testing.T, in string) []*Record {
	t.Helper()
	r, err := NewReader(strings.NewReader(in), "in.jsonl", "jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	return crReadAll(t, r)
}

func TestJSONLForms(t *testing.T) {
	long := strings.Repeat("x", 3*claimReadBuffer)
	lines := []string{
		`{"id":"F1","date":"20260302","birth_date":"03/02/1958","sex":"f","dx":"e11.9 | I10","px":"J1100x2:LT;99213"}`,
		`{"claim_id":"F2","dx":["I10"],"px":[{"code":"j1100","modifiers":["lt","59"]},"99213x2:25"],"extra":{"a":[1,2]}}`,
		`{"id":12.5,"dx":["I10"],"note":"` + long + `"}`,
		`  {"id":"F4","dx":["I10"],"px":null}  `,
		`{"id":"F5","dx":["I10"]}` + "\r",
	}
	crCheck(t, crReadJSONL(t, strings.Join(lines, "\n")), []string{ // no final line break
		"1 line 1 F1 2026-03-02 age=68 F dx=E11.9,I10 px=J1100x2:LT,99213",
		"2 line 2 F2 - age=- - dx=I10 px=J1100:LT:59,99213x2:25",
		"3 line 3 12.5 - age=- - dx=I10 px=",
		"4 line 4 F4 - age=- - dx=I10 px=",
		"5 line 5 F5 - age=- - dx=I10 px=",
	})
}

func TestJSONLErrors(t *testing.T) {
	lines := []string{
		`{"id":"B1","dx":["I10"],"px":[{"code":"99213","units":0}]}`,
		`{"id":"B2","dx":["I10"],"px":[{"code":"99213","modifiers":["LEFT"]}]}`,
		`{"id":"B3","dx":["I10"],"px":["99213","J11"]}`,
		`{"id":"B4","dx":[250]}`,
		`{"id":"B5","dx":["250.00"]}`,
		`{"id":"B6","dx":["I10"],"sex":"X"}`,
		`{"id":"B7","dx":["I10"],"date":"2026/03/02"}`,
		`{"id":"B8","dx":["I10"],"age":-1}`,
		`{"id":"B9","dx":["I10"],"date":"2026-03-02","birth_date":"2026-03-03"}`,
		`{"id":"B10"}`,
		`[{"id":"B11"}]`,
		`{"id":"B12",`,
		`{`,
		`{"id":true,"dx":["I10"]}`,
		`{"id":"B15","dx":["I10"],"px":[7]}`,
		`null`,
		``,
		`{"id":"B18","dx":["I10"]}`,
	}
	crCheck(t, crReadJSONL(t, strings.Join(lines, "\n")+"\n"), []string{
		"1 line 1 B1 ERR px: line 1: invalid units 0: want 1 or more",
		`2 line 2 B2 ERR px: line 1: invalid modifier "LEFT": a modifier has two characters`,
		`3 line 3 B3 ERR px: line 2: invalid procedure "J11": a procedure code has five characters (J1100, 99213)`,
		"4 line 4 B4 ERR dx: want a list of codes",
		`5 line 5 B5 ERR dx: invalid ICD-10-CM code "250.00": must start with a letter`,
		`6 line 6 B6 ERR sex: invalid sex "X": want F, M or U`,
		`7 line 7 B7 ERR date: invalid date "2026/03/02": want YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD`,
		"8 line 8 B8 ERR age: invalid age -1: want whole years from 0 to 130",
		"9 line 9 B9 ERR birth_date: birth date 2026-03-03 is after the date of service 2026-03-02",
		"10 line 10 B10 ERR the claim has no diagnosis or procedure",
		"11 line 11 - ERR not a claim: want a JSON object, got array",
		"12 line 12 - ERR not JSON: unexpected end of JSON input (JSON Lines wants each claim whole on one line)",
		"13 line 13 - ERR not JSON: unexpected end of JSON input (JSON Lines wants each claim whole on one line)",
		"14 line 14 - ERR id: want a string or a number",
		`15 line 15 B15 ERR px: line 1: want "J1100x2:LT" or {"code":"J1100","units":2,"modifiers":["LT"]}`,
		"16 line 16 - ERR the claim has no diagnosis or procedure",
		"17 line 18 B18 - age=- - dx=I10 px=",
	})
}
