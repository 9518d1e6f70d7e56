package claims

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/medcode/medcode/coding"

	"gopkg.in/yaml.v3"
)

// ColumnMap describes a CSV layout other than the default one (see
// NewReader): which column holds what, and whether consecutive rows
// with the same claim id are the service lines of one claim. It is written
// in YAML and read with LoadColumnMap:
//
//	version: 1
//	delimiter: ","             # optional: detected from the header line
//	claim_id: CLAIM_NO
//	date: FROM_DATE
//	date_format: "01/02/2006"  # Go layout; default YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD
//	age: AGE                   # or birth_date: DOB (birth_date_format: ...)
//	sex: GENDER
//	dx: [DIAG_1, DIAG_2, DIAG_3, DIAG_4]  # or dx_list: DX with dx_separator: ";"
//	px:                        # the service line of each row
//	  code: HCPCS
//	  units: UNITS
//	  modifiers: [MOD1, MOD2]
//	group_rows: true           # consecutive rows with the same claim id are one claim
//	group_dx: union            # with group_rows: union (default) or first row's
//
// px may also be a list of such mappings (several service lines on one
// row), or px_list: COLUMN with px_separator for lines typed as
// "J1100x2:LT". Column names are matched ignoring case and surrounding
// spaces; every column named must be in the header; other columns are
// ignored. With group_rows the claim's date, age and sex come from its
// first row, and every row adds its service lines; only rows next to each
// other are grouped, so a claim id seen again later starts another claim.
type ColumnMap struct {
	Source          string // the file it came from, for messages
	Delimiter       rune   // 0: detected from the header line
	ClaimID         string
	Date            string
	DateFormat      string // Go layout
	Age             string
	BirthDate       string
	BirthDateFormat string // Go layout; DateFormat when empty
	Sex             string
	Dx              []string // numbered diagnosis columns, principal first
	DxList          string   // or one column with a list of codes
	DxSeparator     string   // of DxList; spaces, ';', '|' or ',' when empty
	Px              []PxColumns
	PxList          string // or one column with service lines "J1100x2:LT"
	PxSeparator     string
	GroupRows       bool
	GroupDx         string // "union" (default) or "first"

	lines map[string]int // YAML line of each setting
}

// PxColumns are the columns of one service line.
type PxColumns struct {
	Code      string
	Units     string   // optional
	Modifiers []string // optional; each may hold several modifiers ("LT:59")
}

// LoadColumnMap reads a column map file.
func LoadColumnMap(path string) (*ColumnMap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseColumnMap(b, path)
}

var columnMapKeys = []string{"version", "delimiter", "claim_id", "date", "date_format", "age", "birth_date", "birth_date_format",
	"sex", "dx", "dx_list", "dx_separator", "px", "px_list", "px_separator", "group_rows", "group_dx"}

// ParseColumnMap reads a column map, naming the file and line of any
// mistake.
func ParseColumnMap(b []byte, name string) (*ColumnMap, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", name, coding.YAMLMessage(err))
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: the column map is empty", name)
	}
	root := doc.Content[0]
	errAt := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...))
	}
	if root.Kind != yaml.MappingNode {
		return nil, errAt(root, "a column map is a mapping (claim_id: ..., dx: ...)")
	}
	m := &ColumnMap{Source: name, lines: map[string]int{}}
	version := 0
	strs := map[string]*string{"claim_id": &m.ClaimID, "date": &m.Date, "date_format": &m.DateFormat, "age": &m.Age,
		"birth_date": &m.BirthDate, "birth_date_format": &m.BirthDateFormat, "sex": &m.Sex, "dx_list": &m.DxList,
		"dx_separator": &m.DxSeparator, "px_list": &m.PxList, "px_separator": &m.PxSeparator, "group_dx": &m.GroupDx}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, ok := m.lines[k.Value]; ok {
			return nil, errAt(k, "%s is already set at line %d", k.Value, prev)
		}
		m.lines[k.Value] = k.Line
		if p, ok := strs[k.Value]; ok {
			s, err := mapYAMLString(v)
			if err != nil {
				return nil, errAt(v, "%s: %v", k.Value, err)
			}
			*p = s
			continue
		}
		switch k.Value {
		case "version":
			if err := v.Decode(&version); err != nil {
				return nil, errAt(v, "version: want a number")
			}
		case "delimiter":
			s, err := mapYAMLString(v)
			if err != nil {
				return nil, errAt(v, "delimiter: %v", err)
			}
			d, err := mapDelimiter(s)
			if err != nil {
				return nil, errAt(v, "%v", err)
			}
			m.Delimiter = d
		case "dx":
			l, err := mapYAMLStrings(v)
			if err != nil {
				return nil, errAt(v, "dx: %v", err)
			}
			m.Dx = l
		case "px":
			px, err := mapYAMLPx(v, name)
			if err != nil {
				return nil, err
			}
			m.Px = px
		case "group_rows":
			if err := v.Decode(&m.GroupRows); err != nil {
				return nil, errAt(v, "group_rows: want true or false")
			}
		default:
			return nil, errAt(k, "unknown field %q (known: %s)", k.Value, strings.Join(columnMapKeys, ", "))
		}
	}
	at := func(key string) string { return fmt.Sprintf("%s:%d", name, m.lines[key]) }
	switch {
	case version != 1:
		return nil, fmt.Errorf("%s: version %d, want 1 (version: 1)", name, version)
	case len(m.Dx) == 0 && m.DxList == "" && len(m.Px) == 0 && m.PxList == "":
		return nil, fmt.Errorf("%s: the map names no diagnosis or procedure column (dx, dx_list, px or px_list)", name)
	case len(m.Dx) > 0 && m.DxList != "":
		return nil, fmt.Errorf("%s: give dx or dx_list, not both", at("dx_list"))
	case len(m.Px) > 0 && m.PxList != "":
		return nil, fmt.Errorf("%s: give px or px_list, not both", at("px_list"))
	case m.GroupRows && m.ClaimID == "":
		return nil, fmt.Errorf("%s: group_rows needs the claim_id column", at("group_rows"))
	case m.GroupDx != "" && m.GroupDx != "union" && m.GroupDx != "first":
		return nil, fmt.Errorf("%s: group_dx %q: want union or first", at("group_dx"), m.GroupDx)
	case m.DateFormat != "" && m.Date == "" && m.BirthDate == "":
		return nil, fmt.Errorf("%s: date_format without a date or birth_date column", at("date_format"))
	}
	for _, k := range []string{"date_format", "birth_date_format"} {
		if l := *strs[k]; l != "" {
			if err := mapDateLayout(l); err != nil {
				return nil, fmt.Errorf("%s: %s %v", at(k), k, err)
			}
		}
	}
	return m, nil
}

func mapYAMLString(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", errors.New("want a single value")
	}
	return n.Value, nil
}

func mapYAMLStrings(n *yaml.Node) ([]string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			return nil, nil
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode || c.Value == "" {
				return nil, fmt.Errorf("line %d: want a column name", c.Line)
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, errors.New("want a column name or a list of them")
}

func mapYAMLPx(n *yaml.Node, name string) ([]PxColumns, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []PxColumns
	for _, it := range items {
		if it.Kind == yaml.ScalarNode {
			// px: HCPCS, the code column alone.
			if it.Value == "" {
				return nil, fmt.Errorf("%s:%d: px: want a column name, a mapping (code:, units:, modifiers:) or a list of them", name, it.Line)
			}
			out = append(out, PxColumns{Code: it.Value})
			continue
		}
		if it.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: px: want a mapping (code:, units:, modifiers:) or a list of them", name, it.Line)
		}
		var p PxColumns
		for i := 0; i+1 < len(it.Content); i += 2 {
			k, v := it.Content[i], it.Content[i+1]
			var err error
			switch k.Value {
			case "code":
				p.Code, err = mapYAMLString(v)
			case "units":
				p.Units, err = mapYAMLString(v)
			case "modifiers":
				p.Modifiers, err = mapYAMLStrings(v)
			default:
				err = fmt.Errorf("unknown field %q (known: code, units, modifiers)", k.Value)
				v = k
			}
			if err != nil {
				return nil, fmt.Errorf("%s:%d: px %s: %v", name, v.Line, k.Value, err)
			}
		}
		if p.Code == "" {
			return nil, fmt.Errorf("%s:%d: px: no code column (code: ...)", name, it.Line)
		}
		out = append(out, p)
	}
	return out, nil
}

func mapDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "tab", `\t`:
		return '\t', nil
	case "pipe":
		return '|', nil
	case "comma":
		return ',', nil
	case "semicolon":
		return ';', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return 0, fmt.Errorf("delimiter %q: want one character such as \",\", \"|\" or tab", s)
	}
	return r, nil
}

// mapDateLayout: a Go layout must carry a year, month and day, which a
// reference date survives a round trip through.
func mapDateLayout(l string) error {
	ref := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	t, err := time.Parse(l, ref.Format(l))
	if err != nil || t.Year() != 2026 || t.Month() != 3 || t.Day() != 2 {
		return fmt.Errorf("%q is not a Go date layout with year, month and day (like 01/02/2006 or 2006-01-02)", l)
	}
	return nil
}

// csvLayout is a header resolved to column indexes; -1 is absent.
type csvLayout struct {
	names                     []string // the header as written, for messages
	id, date, age, birth, sex int
	dateLayouts, birthLayouts []string
	dx                        []int
	dxList                    int
	dxSplit                   func(string) []string
	px                        []pxCols
	pxList                    int
	pxSplit                   func(string) []string
	group, dxFirstRow         bool
	dates                     dateCache // of dates of service
	row                       int       // the line of the row being read
}

type pxCols struct {
	code, units int
	mods        []int
}

func newCSVLayout(header []string) *csvLayout {
	return &csvLayout{names: header, id: -1, date: -1, age: -1, birth: -1, sex: -1, dxList: -1, pxList: -1,
		dateLayouts: claimDateLayouts, birthLayouts: claimDateLayouts, dates: dateCache{}}
}

// csvHeaderKey folds a default-layout header name: lower case without
// spaces, '_' and '-'.
func csvHeaderKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '_' || r == '-' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// csvNumbered splits "dx12" into ("dx", 12).
func csvNumbered(key string) (string, int) {
	i := len(key)
	for i > 0 && key[i-1] >= '0' && key[i-1] <= '9' {
		i--
	}
	if i == len(key) || i == 0 {
		return key, 0
	}
	n, err := strconv.Atoi(key[i:])
	if err != nil || n < 1 || n > 999 {
		return key, 0
	}
	return key[:i], n
}

// csvDefaultLayout resolves the default layout's columns in a header.
func csvDefaultLayout(header []string) (*csvLayout, error) {
	l := newCSVLayout(header)
	roles := map[string]int{} // role -> column, to catch a role given twice
	set := func(role string, p *int, col int) error {
		if prev, ok := roles[role]; ok {
			return fmt.Errorf("columns %q and %q are both the %s", excerpt(header[prev]), excerpt(header[col]), role)
		}
		roles[role] = col
		*p = col
		return nil
	}
	dxN := map[int]int{}
	pxN := map[int]int{}
	unitsN := map[int]int{}
	modN := map[int]int{}
	for col, h := range header {
		k := csvHeaderKey(h)
		var err error
		switch k {
		case "claimid", "id":
			err = set("claim id", &l.id, col)
		case "date", "dos", "servicedate", "dateofservice":
			err = set("date of service", &l.date, col)
		case "age":
			err = set("age", &l.age, col)
		case "birthdate", "dob", "dateofbirth":
			err = set("birth date", &l.birth, col)
		case "sex", "gender":
			err = set("sex", &l.sex, col)
		case "dx":
			err = set("diagnosis list", &l.dxList, col)
		case "px":
			err = set("procedure list", &l.pxList, col)
		default:
			base, n := csvNumbered(k)
			var into map[int]int
			switch base {
			case "dx":
				into = dxN
			case "px":
				into = pxN
			case "units":
				into = unitsN
			case "mod", "mods", "modifier", "modifiers":
				into = modN
			default:
				continue // a column the claim does not need
			}
			if prev, ok := into[n]; ok {
				return nil, fmt.Errorf("columns %q and %q are the same numbered column", excerpt(header[prev]), excerpt(h))
			}
			into[n] = col
		}
		if err != nil {
			return nil, err
		}
	}
	if l.dxList >= 0 && len(dxN) > 0 {
		return nil, fmt.Errorf("give the diagnoses in column %q or in numbered columns dx1.., not both", excerpt(header[l.dxList]))
	}
	if l.pxList >= 0 && len(pxN) > 0 {
		return nil, fmt.Errorf("give the procedures in column %q or in numbered columns px1.., not both", excerpt(header[l.pxList]))
	}
	for _, n := range csvSortedKeys(dxN) {
		l.dx = append(l.dx, dxN[n])
	}
	for _, n := range csvSortedKeys(pxN) {
		p := pxCols{code: pxN[n], units: -1}
		if c, ok := unitsN[n]; ok {
			p.units = c
		}
		if c, ok := modN[n]; ok {
			p.mods = []int{c}
		}
		l.px = append(l.px, p)
	}
	for what, m := range map[string]map[int]int{"units": unitsN, "mod": modN} {
		for n, col := range m {
			if _, ok := pxN[n]; !ok {
				return nil, fmt.Errorf("column %q (%s%d) has no px%d column", excerpt(header[col]), what, n, n)
			}
		}
	}
	if len(l.dx) == 0 && l.dxList < 0 && len(l.px) == 0 && l.pxList < 0 {
		return nil, coding.WithHint(errors.New("no dx or px column: the default layout is claim_id, date, age or birth_date, sex, dx (or dx1..), px (or px1..)"), "give a column map ({column-map}) for other layouts")
	}
	return l, nil
}

func csvSortedKeys(m map[int]int) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// csvMappedLayout resolves a column map's columns in a header.
func csvMappedLayout(header []string, m *ColumnMap) (*csvLayout, error) {
	l := newCSVLayout(header)
	find := func(key, col string) (int, error) {
		if col == "" {
			return -1, nil
		}
		found := -1
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(col)) {
				if found >= 0 {
					return -1, fmt.Errorf("%s:%d: %s column %q appears twice in the header (columns %d and %d)", m.Source, m.lines[key], key, excerpt(col), found+1, i+1)
				}
				found = i
			}
		}
		if found < 0 {
			// The header is not quoted: a file without one starts with a
			// patient's record.
			return -1, fmt.Errorf("%s:%d: %s column %q is not in the header (%d columns)", m.Source, m.lines[key], key, excerpt(col), len(header))
		}
		return found, nil
	}
	var err error
	for _, f := range []struct {
		key, col string
		p        *int
	}{{"claim_id", m.ClaimID, &l.id}, {"date", m.Date, &l.date}, {"age", m.Age, &l.age}, {"birth_date", m.BirthDate, &l.birth},
		{"sex", m.Sex, &l.sex}, {"dx_list", m.DxList, &l.dxList}, {"px_list", m.PxList, &l.pxList}} {
		if *f.p, err = find(f.key, f.col); err != nil {
			return nil, err
		}
	}
	for _, c := range m.Dx {
		i, err := find("dx", c)
		if err != nil {
			return nil, err
		}
		l.dx = append(l.dx, i)
	}
	for _, p := range m.Px {
		pc := pxCols{}
		if pc.code, err = find("px", p.Code); err != nil {
			return nil, err
		}
		if pc.units, err = find("px", p.Units); err != nil {
			return nil, err
		}
		for _, c := range p.Modifiers {
			i, err := find("px", c)
			if err != nil {
				return nil, err
			}
			pc.mods = append(pc.mods, i)
		}
		l.px = append(l.px, pc)
	}
	if m.DateFormat != "" {
		l.dateLayouts = []string{m.DateFormat}
		l.birthLayouts = l.dateLayouts
	}
	if m.BirthDateFormat != "" {
		l.birthLayouts = []string{m.BirthDateFormat}
	}
	l.dxSplit = csvSeparatorSplit(m.DxSeparator)
	l.pxSplit = csvSeparatorSplit(m.PxSeparator)
	l.group = m.GroupRows
	l.dxFirstRow = m.GroupDx == "first"
	return l, nil
}

func csvSeparatorSplit(sep string) func(string) []string {
	if sep == "" {
		return nil
	}
	return func(s string) []string {
		parts := strings.Split(s, sep)
		out := parts[:0]
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
}

func (l *csvLayout) colErr(col int, err error) error {
	return fmt.Errorf("%s: %w", excerpt(strings.TrimSpace(l.names[col])), err)
}

// fill reads one row into c: the claim's own fields from its first row,
// diagnoses and service lines from every row. Its parts are cut from m.
func (l *csvLayout) fill(c *Claim, f []string, first bool, m *ClaimSlabs) error {
	if len(f) != len(l.names) {
		return fmt.Errorf("the row has %d fields, the header has %d", len(f), len(l.names))
	}
	if first {
		if l.date >= 0 {
			if s := claimTrim(f[l.date]); s != "" {
				d, err := l.dates.parse(s, l.dateLayouts)
				if err != nil {
					return l.colErr(l.date, err)
				}
				c.Date = d
			}
		}
		if l.age >= 0 && claimTrim(f[l.age]) != "" {
			a, err := claimAge(f[l.age])
			if err != nil {
				return l.colErr(l.age, err)
			}
			c.Age = m.ages.one()
			*c.Age = a
		} else if l.birth >= 0 && claimTrim(f[l.birth]) != "" {
			b, err := claimDate(f[l.birth], l.birthLayouts)
			if err == nil {
				var a int
				if a, err = claimAgeAt(b, c.Date); err == nil {
					c.Age = &a
				}
			}
			if err != nil {
				return l.colErr(l.birth, err)
			}
		}
		if l.sex >= 0 {
			s, err := claimSex(f[l.sex])
			if err != nil {
				return l.colErr(l.sex, err)
			}
			c.Sex = s
		}
	}
	if first || !l.dxFirstRow {
		if err := l.fillDx(c, f, m); err != nil {
			return err
		}
	}
	return l.fillPx(c, f, m)
}

func (l *csvLayout) fillDx(c *Claim, f []string, m *ClaimSlabs) error {
	if l.dxList >= 0 {
		codes := m.split(f[l.dxList], l.dxSplit)
		for i, s := range codes {
			d, err := claimDx(s)
			if err != nil {
				return l.colErr(l.dxList, err)
			}
			codes[i] = d
		}
		if c.Dx == nil && !l.group {
			c.Dx = codes // the split's own slice
			return nil
		}
		for _, d := range codes {
			c.Dx = claimAppendDx(c.Dx, d)
		}
		return nil
	}
	for _, col := range l.dx {
		s := claimTrim(f[col])
		if s == "" {
			continue
		}
		d, err := claimDx(s)
		if err != nil {
			return l.colErr(col, err)
		}
		if c.Dx == nil {
			c.Dx = m.codes.cut(len(l.dx))[:0]
		}
		if l.group {
			c.Dx = claimAppendDx(c.Dx, d)
		} else {
			c.Dx = append(c.Dx, d)
		}
	}
	return nil
}

func (l *csvLayout) fillPx(c *Claim, f []string, m *ClaimSlabs) error {
	if l.pxList >= 0 {
		lines := m.tmp[:0]
		if l.pxSplit != nil {
			lines = l.pxSplit(f[l.pxList])
		} else {
			lines = claimSplitAppend(lines, f[l.pxList])
			m.tmp = lines
		}
		if len(lines) > 0 && c.Px == nil {
			c.Px = m.lines.cut(len(lines))[:0]
		}
		for _, s := range lines {
			p, err := ParseProcedure(s)
			if err != nil {
				return l.colErr(l.pxList, err)
			}
			c.Px = append(c.Px, p)
		}
		return nil
	}
	for _, pc := range l.px {
		code := claimTrim(f[pc.code])
		if code == "" {
			if err := l.noCode(c, f, pc); err != nil {
				return err
			}
			continue
		}
		p, err := ParseProcedure(code)
		if err != nil {
			return l.colErr(pc.code, err)
		}
		if pc.units >= 0 {
			if s := claimTrim(f[pc.units]); s != "" {
				if p.Units, err = claimUnits(s); err != nil {
					return l.colErr(pc.units, err)
				}
			}
		}
		for _, mc := range pc.mods {
			for _, s := range strings.FieldsFunc(f[mc], claimModSep) {
				mod, err := claimModifier(s)
				if err != nil {
					return l.colErr(mc, err)
				}
				p.Modifiers = append(p.Modifiers, mod)
			}
		}
		if c.Px == nil {
			c.Px = m.lines.cut(len(l.px))[:0]
		}
		c.Px = append(c.Px, p)
	}
	return nil
}

// noCode notes a service line without a procedure code, unless the line
// is empty: units or modifiers without a code are a line of the claim.
func (l *csvLayout) noCode(c *Claim, f []string, pc pxCols) error {
	units := ""
	if pc.units >= 0 {
		units = claimTrim(f[pc.units])
	}
	mods := false
	for _, mc := range pc.mods {
		mods = mods || claimTrim(f[mc]) != ""
	}
	if units == "" && !mods {
		return nil
	}
	n := 1
	if units != "" {
		var err error
		if n, err = claimUnitsOrZero(units); err != nil {
			return l.colErr(pc.units, err)
		}
	}
	where := excerpt(strings.TrimSpace(l.names[pc.code]))
	if l.group {
		where = "line " + strconv.Itoa(l.row) + ", " + where
	}
	c.NoCode = append(c.NoCode, LineWithoutCode{Where: where, Units: n})
	return nil
}

func claimModSep(r rune) bool { return r == ':' || r == '-' || claimListSep(r) }

// csvClaimReader reads delimited claims. With grouping it holds the claim
// being built, and nothing else.
type csvClaimReader struct {
	rs     *csvRecords
	mem    *ClaimSlabs
	source string
	l      *csvLayout
	seq    int
	group  *csvGroup // the claim being built from consecutive rows
	// queued is an unreadable row that ended a group, to come next.
	queued  *Record
	done    bool
	skipped int // lines in no record: the header, blank rows
}

type csvGroup struct {
	id          string
	first, last int // lines
	claim       *Claim
	err         error
	errLine     int
}

// newCSVClaimReader reads the header; delim 0 is detected from it.
func newCSVClaimReader(br *bufio.Reader, source string, m *ColumnMap, delim rune) (*csvClaimReader, error) {
	if delim == 0 {
		line, err := csvFirstLine(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		d, n := csvDetectDelimiter(line)
		if n == 0 {
			d = ','
		}
		delim = d
	}
	rs, err := newCSVRecords(br, delim)
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", source, err)
	}
	r := &csvClaimReader{rs: rs, source: source, mem: &ClaimSlabs{}}
	var header []string
	var headerLine int
	for {
		h, line, last, _, bad, err := rs.read()
		if err == io.EOF {
			r.done = true
			return r, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: header: %w", source, err)
		}
		if bad != nil {
			return nil, fmt.Errorf("%s: line %d: header: %w", source, line, bad)
		}
		r.skipped += last - line + 1
		if !csvBlankRow(h) {
			header, headerLine = h, line
			break
		}
	}
	header = append([]string(nil), header...)
	var l *csvLayout
	if m == nil {
		l, err = csvDefaultLayout(header)
	} else {
		l, err = csvMappedLayout(header, m)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: header: %w", source, headerLine, err)
	}
	r.l = l
	return r, nil
}

// csvFirstLine returns the first non-blank line from the buffer without
// consuming it, reading no further than its end.
func csvFirstLine(br *bufio.Reader) ([]byte, error) {
	b, err := claimPeekUntil(br, claimReadBuffer, func(b []byte) bool {
		return bytes.IndexByte(bytes.TrimLeft(b, "\r\n"), '\n') >= 0
	})
	if err != nil {
		return nil, err
	}
	b = bytes.TrimLeft(b, "\r\n")
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return b, nil
}

func (r *csvClaimReader) CutFrom(m *ClaimSlabs) { r.mem = m }

func (r *csvClaimReader) tally() Tally {
	return Tally{Lines: r.rs.line, Skipped: r.skipped + r.rs.blank}
}

func (r *csvClaimReader) emit(rec *Record) *Record {
	r.seq++
	rec.Seq = r.seq
	rec.Source = r.source
	return rec
}

func (r *csvClaimReader) Next() (*Record, error) {
	if rec := r.queued; rec != nil {
		r.queued = nil
		return r.emit(rec), nil
	}
	for !r.done {
		f, line, last, pos, bad, err := r.rs.read()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.source, err)
		}
		if bad == nil && len(f) != len(r.l.names) && last > line {
			// A quote opened on the first line and closed lines later,
			// but the text between is not one row: the quote was a
			// stray one, and the lines after are read again.
			bad = fmt.Errorf("a quoted field opens on this line and closes on line %d, in a row of %d fields where the header has %d", last, len(f), len(r.l.names))
			ended := r.rs.retract()
			f, last, pos = f[:ended], line, "line "+strconv.Itoa(line)
		}
		if bad == nil && csvBlankRow(f) {
			r.skipped += last - line + 1
			continue
		}
		id := ""
		if r.l.id >= 0 && r.l.id < len(f) {
			id = claimTrim(f[r.l.id])
		}
		r.l.row = line
		if bad != nil {
			if g := r.group; g != nil && id != "" && id == g.id {
				// A row of the claim being built: the claim cannot be
				// read whole.
				if g.err == nil {
					g.err, g.errLine = bad, line
				}
				g.last = last
				continue
			}
			// Any other unreadable row ends a group being built, and is
			// a record of its own.
			rec := &Record{Pos: pos, ID: id, First: line, Last: last, Err: bad}
			if g := r.group; g != nil {
				r.group = nil
				r.queued = rec
				return r.emit(r.groupRecord(g)), nil
			}
			return r.emit(rec), nil
		}
		if !r.l.group {
			c := r.mem.claims.one()
			c.ID = id
			err := r.l.fill(c, f, true, r.mem)
			if err == nil {
				err = claimNotEmpty(c)
			}
			if err != nil && last > line {
				// As above: a row that runs over lines must read whole,
				// or its quote was a stray one.
				err = fmt.Errorf("a quoted field opens on this line, and the %d lines up to its closing quote do not make a readable row", last-line+1)
				if ended := r.rs.retract(); r.l.id >= ended {
					id = ""
				}
				last, pos = line, "line "+strconv.Itoa(line)
			}
			rec := r.mem.records.one()
			*rec = Record{Pos: pos, ID: id, First: line, Last: last, Claim: c, Err: err}
			if err != nil {
				rec.Claim = nil
			}
			return r.emit(rec), nil
		}
		if g := r.group; g != nil && id != "" && id == g.id {
			g.last = last
			if g.err == nil {
				if err := r.l.fill(g.claim, f, false, r.mem); err != nil {
					g.err, g.errLine = err, line
				}
			}
			continue
		}
		prev := r.group
		g := &csvGroup{id: id, first: line, last: last, claim: &Claim{ID: id}}
		if id == "" {
			g.err, g.errLine = fmt.Errorf("%s: no claim id", excerpt(strings.TrimSpace(r.l.names[r.l.id]))), line
			if len(f) != len(r.l.names) {
				g.err = fmt.Errorf("the row has %d fields, the header has %d", len(f), len(r.l.names))
			}
		} else if err := r.l.fill(g.claim, f, true, r.mem); err != nil {
			g.err, g.errLine = err, line
		}
		r.group = g
		if prev != nil {
			return r.emit(r.groupRecord(prev)), nil
		}
	}
	if g := r.group; g != nil {
		r.group = nil
		return r.emit(r.groupRecord(g)), nil
	}
	return nil, io.EOF
}

func (r *csvClaimReader) groupRecord(g *csvGroup) *Record {
	rec := &Record{ID: g.id, Pos: "line " + strconv.Itoa(g.first), First: g.first, Last: g.last}
	if g.last != g.first {
		rec.Pos = fmt.Sprintf("lines %d-%d", g.first, g.last)
	}
	err := g.err
	if err == nil {
		err = claimNotEmpty(g.claim)
	} else if g.last != g.first {
		err = fmt.Errorf("line %d: %w", g.errLine, err)
	}
	if err != nil {
		rec.Err = err
	} else {
		rec.Claim = g.claim
	}
	return rec
}

func claimNotEmpty(c *Claim) error {
	if len(c.Dx) == 0 && len(c.Px) == 0 {
		return errors.New("the claim has no diagnosis or procedure")
	}
	return nil
}

func csvBlankRow(f []string) bool {
	for _, s := range f {
		if claimTrim(s) != "" {
			return false
		}
	}
	return true
}
