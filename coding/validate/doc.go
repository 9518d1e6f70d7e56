// Package validate checks a claim's code combinations against edit rules:
// the codes themselves, Tabular notes, NCCI edits and rule packs, and says
// which edits could not run.
package validate
