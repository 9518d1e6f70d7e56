package coding

import "strings"

// yamlErr keeps yaml.v3's "line N:" text, which names where a pack is wrong.
func YAMLMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
