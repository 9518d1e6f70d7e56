package index

import (
	"path/filepath"
	"testing"
)

func TestTmpLoad6(t *testing.T) {
	d := testDataDir(t)
	dir := t.TempDir()
	mustLoad(t, dir, LoadOptions{},
		filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
		filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_tabular_2021.xml"),
		filepath.Join(d, "cdc-icd10cm-xml", "ICD10CM_FY2017_Full_XML.zip"),
		filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_drug_2022.xml"),
		filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_neoplasm_2022.xml"),
		filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_eindex_2022.xml"))
}

