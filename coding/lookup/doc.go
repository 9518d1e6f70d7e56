// Package lookup shows a code as a coder reads it in the books: its title,
// place in the Tabular List, notes, 7th characters, the codes below it, and
// whether it is valid on a date of service.
package lookup
