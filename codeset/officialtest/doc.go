// Package officialtest finds the official CMS and CDC files for the tests
// that need the full tables, which are too large to commit.
//
// The folder is $MEDCODE_TEST_DATA, taken from the repository root when
// relative (where one would type it, not the package folder go test runs
// in), else shared/data beside the repository. Without it a test skips,
// except under CI=true, where a silently skipped test would hide a broken
// setup.
package officialtest
