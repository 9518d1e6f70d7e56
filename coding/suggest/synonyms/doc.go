// Package synonyms holds the abbreviations and clinical synonyms that
// suggestion reads queries with: the built-in table generated from
// synonyms.yaml, and users' own files in the same schema.
package synonyms
