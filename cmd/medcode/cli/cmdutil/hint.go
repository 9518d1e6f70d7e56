package cmdutil

import (
	"strings"

	"github.com/medcode/medcode/coding"
)

// hintWords spells the domain's hint placeholders as this CLI's commands
// and flags.
var hintWords = strings.NewReplacer(
	coding.DoLoad, "medcode load",
	coding.DoReplace, "medcode load --replace",
	coding.DoInfo, "medcode info",
	coding.DoPull, "medcode pull",
	coding.DoPullList, "medcode pull --list",
	coding.DoCatalog, "--catalog FILE",
	coding.DoCatalogOption, "--catalog",
	coding.DoMirror, "--from DIR|URL",
	coding.DoMirrorFlag, "--from",
	coding.DoLicensed, "medcode pull --include-licensed",
	coding.DoColumnMap, "--map",
)

// WordHint spells a domain hint for this CLI.
func WordHint(h string) string { return hintWords.Replace(h) }

// ErrorText is an error as the CLI prints it: the message, then a "hint:"
// line when the domain gave one.
func ErrorText(err error) string {
	s := err.Error()
	if h, ok := coding.HintOf(err); ok && h != "" {
		s += "\nhint: " + WordHint(h)
	}
	return s
}
