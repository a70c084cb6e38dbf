package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/assets"
)

// translatable finds the operator strings: the English literal passed to
// lang.L, or the key and English fallback passed to lang.X, in ui/ and app/;
// interpreted ("...") or raw (`...`) literals.
var translatable = regexp.MustCompile(`lang\.([LX])\(\s*(` + goString + `)(?:,\s*(` + goString + `))?`)

const goString = `"(?:[^"\\]|\\.)*"|` + "`[^`]*`"

// sourceString is one operator string: its English and where it is used.
type sourceString struct {
	english string
	files   []string
}

// nonTestGoFiles are the Go files of dir that are not tests.
func nonTestGoFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
}

func sourceKeys(t *testing.T) map[string]sourceString {
	t.Helper()
	keys := map[string]sourceString{}
	for _, dir := range []string{".", "../app"} {
		for _, f := range nonTestGoFiles(t, dir) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range translatable.FindAllStringSubmatch(string(src), -1) {
				key, err := strconv.Unquote(m[2])
				if err != nil {
					t.Fatalf("%s: %s: %v", f, m[2], err)
				}
				english := key
				if m[1] == "X" {
					if english, err = strconv.Unquote(m[3]); err != nil {
						t.Fatalf("%s: lang.X(%s) needs a literal English fallback: %v", f, m[2], err)
					}
				}
				s := keys[key]
				s.english, s.files = english, append(s.files, filepath.Base(f))
				keys[key] = s
			}
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d operator strings: the pattern no longer matches the code", len(keys))
	}
	hints := hintKeys(t)
	problems := configProblemKeys(t)
	t.Logf("%d lang strings in ui/ and app/, %d hints in the back ends and app/, %d settings problems in app/, %d of Fyne's own",
		len(keys), len(hints), len(problems), len(fyneKeys))
	for _, found := range []map[string]sourceString{hints, problems} {
		for key, h := range found {
			s := keys[key]
			s.english, s.files = key, append(s.files, h.files...)
			keys[key] = s
		}
	}
	for _, key := range fyneKeys {
		s := keys[key]
		s.english, s.files = key, append(s.files, "fyne")
		keys[key] = s
	}
	return keys
}

// fyneKeys are Fyne's own words that reach the window: the Quit item the
// driver adds to the File menu, the OK of an information dialog, an entry's
// right-click menu and the CA file picker. Fyne translates some languages
// (German) but not Italian; our files carry them for both, so both read alike.
var fyneKeys = []string{
	"Quit", "OK",
	"Cut", "Copy", "Paste", "Select all", "Undo", "Redo",
	"Open", "Folder", "New Folder", "Create Folder", "Show Hidden Files", "Favourites", "Enter filename",
	"file.name", "file.parent",
}

// configProblemKeys finds every app.ConfigError problem: the English literal
// (or string constant) given to a ConfigError's Problem field, or to
// Validate's shorthand bad(key, problem, args). A problem built at run time
// fails the test: it must be a literal with {{.Name}} placeholders and
// ProblemArgs, or, for another package's own text, go in Err.
func configProblemKeys(t *testing.T) map[string]sourceString {
	t.Helper()
	scan := scanTemplates(t, []string{"../app"}, func(n ast.Node, add func(ast.Expr)) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "ConfigError" {
				return true
			}
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Problem" {
						add(kv.Value)
					}
				}
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "bad" && len(n.Args) >= 2 {
				add(n.Args[1])
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && id.Name == "bad" {
					return false // bad's own body passes its parameter on; its callers are the sites
				}
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Problem" && len(n.Rhs) == len(n.Lhs) {
					add(n.Rhs[i])
				}
			}
		}
		return true
	})
	return scan.templates(t, "settings problem", "ProblemArgs", 25)
}

// hintDirs hold the calendar.Error hints app.OperatorMessage translates.
var hintDirs = []string{"../calendar", "../calendar/graph", "../ews", "../auth", "../app"}

// hintKeys finds every calendar.Error hint in hintDirs: the English literal
// (or string constant) given to a Hint field, as `Hint: "..."` or
// `e.Hint = ...`, and each back end's TLS hints, given to a
// calendar.TLSHints literal (`Hint: hints.For(problem)` passes one of them
// on). A hint built at run time (fmt.Sprintf, concatenation) cannot be
// translated and fails the test: it must be a literal with {{.Name}}
// placeholders and HintArgs.
func hintKeys(t *testing.T) map[string]sourceString {
	t.Helper()
	tlsHintsLookup := func(e ast.Expr) bool {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "For"
	}
	scan := scanTemplates(t, hintDirs, func(n ast.Node, add func(ast.Expr)) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if typ := types.ExprString(n.Type); typ == "TLSHints" || typ == "calendar.TLSHints" {
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						add(kv.Value)
					}
				}
			}
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok && key.Name == "Hint" && !tlsHintsLookup(n.Value) {
				add(n.Value)
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Hint" && len(n.Rhs) == len(n.Lhs) {
					add(n.Rhs[i])
				}
			}
		}
		return true
	})
	return scan.templates(t, "hint", "HintArgs", 40)
}

// templateScan is what scanTemplates found: the expressions that give a
// translatable template, and the package's string constants they may name.
type templateScan struct {
	fset      *token.FileSet
	constants map[string]string
	sites     []templateSite
}

type templateSite struct {
	file string // "pkg/file.go"
	expr ast.Expr
}

// scanTemplates walks the non-test Go files of dirs; visit reports each
// expression that gives a template through add, and returns false to skip a
// node's children.
func scanTemplates(t *testing.T, dirs []string, visit func(n ast.Node, add func(ast.Expr)) bool) templateScan {
	t.Helper()
	scan := templateScan{fset: token.NewFileSet(), constants: map[string]string{}}
	for _, dir := range dirs {
		for _, f := range nonTestGoFiles(t, dir) {
			file, err := parser.ParseFile(scan.fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(dir) + "/" + filepath.Base(f)
			add := func(e ast.Expr) { scan.sites = append(scan.sites, templateSite{name, e}) }
			ast.Inspect(file, func(n ast.Node) bool {
				if spec, ok := n.(*ast.ValueSpec); ok {
					for i, id := range spec.Names {
						if i < len(spec.Values) {
							if v, ok := stringLiteral(spec.Values[i]); ok {
								scan.constants[id.Name] = v
							}
						}
					}
				}
				return visit(n, add)
			})
		}
	}
	return scan
}

// templates are the English templates the sites give. A site that is neither
// a literal nor a string constant is built at run time and cannot be
// translated: the test fails there. Fewer than minimum templates means the
// scan no longer matches the code.
func (scan templateScan) templates(t *testing.T, what, argsField string, minimum int) map[string]sourceString {
	t.Helper()
	out := map[string]sourceString{}
	for _, s := range scan.sites {
		english, ok := stringLiteral(s.expr)
		if !ok {
			var name string
			switch e := s.expr.(type) {
			case *ast.Ident:
				name = e.Name
			case *ast.SelectorExpr:
				name = e.Sel.Name
			}
			english, ok = scan.constants[name]
		}
		if !ok {
			t.Errorf("%s: %s: a %s must be a string literal or constant, with {{.Name}} placeholders for what varies (%s), so it can be translated",
				scan.fset.Position(s.expr.Pos()), types.ExprString(s.expr), what, argsField)
			continue
		}
		entry := out[english]
		entry.english, entry.files = english, append(entry.files, s.file)
		out[english] = entry
	}
	if len(out) < minimum {
		t.Fatalf("found only %d %ss: the scan no longer matches the code", len(out), what)
	}
	return out
}

// stringLiteral is the value of a string literal, or of literals joined by +.
func stringLiteral(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := stringLiteral(e.X)
		if !ok {
			return "", false
		}
		y, ok := stringLiteral(e.Y)
		return x + y, ok
	case *ast.ParenExpr:
		return stringLiteral(e.X)
	}
	return "", false
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// Every operator string has an Italian and a German translation with the same
// placeholders; strings the code no longer uses are listed in the log.
func TestEveryStringIsTranslated(t *testing.T) {
	keys := sourceKeys(t)
	files, err := fs.Glob(assets.Translations, "translations/*.json")
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for _, f := range files {
		langs[strings.TrimSuffix(filepath.Base(f), ".json")] = true
	}
	for _, want := range []string{"it", "de"} {
		if !langs[want] {
			t.Errorf("no translations for %q", want)
		}
	}
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(lang, func(t *testing.T) {
			data, err := assets.Translations.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tr map[string]string
			if err := json.Unmarshal(data, &tr); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for key, src := range keys {
				got, ok := tr[key]
				switch {
				case !ok || strings.TrimSpace(got) == "":
					t.Errorf("missing in %s (used in %s): %q", f, strings.Join(slices.Compact(slices.Sorted(slices.Values(src.files))), ", "), key)
				case !slices.Equal(placeholders(got), placeholders(src.english)):
					t.Errorf("%s: %q has placeholders %v, the English %v", f, got, placeholders(got), placeholders(src.english))
				}
			}
			for key := range tr {
				if _, used := keys[key]; !used {
					// Harmless to the operator (another helper may be mid-change): say so only.
					t.Logf("%s carries %q, which the code no longer uses", f, key)
				}
			}
		})
	}
}

// inLanguage switches the operator's language for one test, as the system
// locale would, and back afterwards.
func inLanguage(t *testing.T, language string) {
	t.Helper()
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(v, language)
	}
	reloadLanguage()
	t.Cleanup(func() {
		for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			os.Setenv(v, "C.UTF-8")
		}
		reloadLanguage()
	})
}

func TestConsoleInItalianAndGermanGolden(t *testing.T) {
	tests := []struct {
		language, wantStatus string
	}{
		{"it_IT.UTF-8", "Occupato fino alle 10:30"},
		{"de_DE.UTF-8", "Beschäftigt bis 10:30"},
	}
	for _, tt := range tests {
		t.Run(tt.language[:2], func(t *testing.T) {
			inLanguage(t, tt.language)
			c, w := newTestConsole(t, true)
			c.Apply(demoSnapshot(t))
			c.search.SetText("ada abbott")
			if got := c.detail.status.Text; got != tt.wantStatus {
				t.Errorf("status %q, want %q", got, tt.wantStatus)
			}
			test.AssertRendersToMarkup(t, "console_"+tt.language[:2]+".xml", w.Canvas())
		})
	}
}

func TestClockFollowsTheLocale(t *testing.T) {
	tests := []struct {
		locale fyne.Locale
		want   bool
	}{
		{"en-US", true}, {"en_US", true}, {"en-CA", true},
		{"en-GB", false}, {"en", false}, {"it-IT", false}, {"de-DE", false}, {"de-CH", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.locale), func(t *testing.T) {
			if got := uses12HourClock(tt.locale); got != tt.want {
				t.Errorf("uses12HourClock(%s) = %v", tt.locale, got)
			}
		})
	}
	defer func(was bool) { clock12 = was }(clock12)
	at := time.Date(2026, 11, 23, 14, 30, 0, 0, paris)
	clock12 = true
	if got := clock(at); got != "2:30 PM" {
		t.Errorf("12-hour clock %q", got)
	}
	clock12 = false
	if got := clock(at); got != "14:30" {
		t.Errorf("24-hour clock %q", got)
	}
}

// Fyne's own words in the window follow the operator's language too: the
// Quit item the driver adds to the File menu (lang.L("Quit") in its glfw
// driver), an entry's right-click menu, the CA file picker. Fyne itself
// translates German but not Italian.
func TestFynesOwnWordsFollowTheLanguage(t *testing.T) {
	tests := []struct {
		language string
		want     map[string]string
	}{
		{"it_IT.UTF-8", map[string]string{"Quit": "Esci", "Paste": "Incolla", "Select all": "Seleziona tutto", "Open": "Apri",
			"file.name": "Nome", "file.parent": "Cartella superiore"}},
		{"de_DE.UTF-8", map[string]string{"Quit": "Beenden", "Paste": "Einfügen", "Select all": "Alle auswählen", "Open": "Öffnen",
			"file.name": "Name", "file.parent": "Übergeordneter Ordner"}},
	}
	for _, tt := range tests {
		t.Run(tt.language[:2], func(t *testing.T) {
			inLanguage(t, tt.language)
			for key, want := range tt.want {
				if got := lang.L(key); got != want {
					t.Errorf("lang.L(%q) = %q, want %q", key, got, want)
				}
			}
		})
	}
}
