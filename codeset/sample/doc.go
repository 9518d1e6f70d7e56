// Package sample holds the small code set built into the binary, which
// medcode answers from until the user loads the full official tables.
//
// The files are excerpts of the official releases, written in the official
// file formats rather than in a format of our own, so that the normal
// parsers load them exactly as they load the full files and no second code
// path has to be kept in step:
//
//   - OrderFile: ICD-10-CM FY2026 "Code Descriptions in Tabular Order"
//     (CMS), about 75 common billable codes from all 22 chapters with every
//     header above them (category, subcategories), official order numbers
//     kept, CRLF.
//   - TabularFile: the Tabular List XML (CDC) of the same codes and their
//     chapters and blocks, with all their instructional notes. It is the
//     2021 edition, the newest one available, so <version> says 2021 and
//     codes created after it (M54.50, R05.9, G35.D, ...) have no entry.
//   - HCPCSFile: records of the CMS 2020 alpha-numeric HCPCS file (320
//     columns, Windows-1252, CRLF) with their continuation lines, below the
//     file's disclaimer: common Level II codes, one terminated code and the
//     common modifiers.
//   - ProcNotesFile: the CMS processing notes those records refer to.
//
// Every line is copied byte for byte from the official files; the tests of
// this package check that against the files in shared/data
// (MEDCODE_TEST_DATA) and that the ICD-10-CM hierarchy is complete.
package sample
