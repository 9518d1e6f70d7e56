package validate

import (
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
)

// A service line without a code is a finding of its own; those with 0
// units are skipped, said once.
func TestLinesWithoutCode(t *testing.T) {
	cb, err := coding.OpenCodebook(t.TempDir()) // the built-in sample
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	v := New(cb, nil, Settings{})
	c := &claims.Claim{ID: "K1", Dx: []string{"I10"}, NoCode: []claims.LineWithoutCode{
		{Where: "HCPCS_1", Units: 2}, {Where: "HCPCS_2", Units: 0}, {Where: "HCPCS_3", Units: 0}}}
	rep, err := v.Validate(c)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Rule] = string(f.Severity) + " " + f.Message
	}
	if want := "warning the service line in HCPCS_1 has 2 units but no procedure code: no procedure edit ran on it"; got["px-no-code"] != want {
		t.Errorf("px-no-code: %q, want %q", got["px-no-code"], want)
	}
	if want := "info skipped 2 service lines with no procedure code and 0 units (HCPCS_2; HCPCS_3)"; got["px-line-skipped"] != want {
		t.Errorf("px-line-skipped: %q, want %q", got["px-line-skipped"], want)
	}
}
