package models_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"imageconsole/models/i18n"
)

// TestEveryErrorHasACatalogueID fails on a coded error built without a
// catalogue ID: a call of Errorf or fieldErr, or an Error literal with no
// ID field (outside the definitions of those two). Such an error has an
// English text only, so a Chinese reader would get English. It scans
// package models and its sub-packages, and every models.Errorf or
// models.Error literal in the rest of the code.
func TestEveryErrorHasACatalogueID(t *testing.T) {
	root := filepath.Join("..")
	var offenders []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", ".tools", "testdata", "vendor":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "_templ.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		found, err := uncataloguedErrors(p, strings.HasPrefix(rel, "models/") && !strings.Contains(rel[len("models/"):], "/"))
		for _, f := range found {
			offenders = append(offenders, rel+":"+f)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(offenders) > 0 {
		t.Errorf("%d errors have no catalogue ID (use models.E / models.FieldE):\n  %s",
			len(offenders), strings.Join(offenders, "\n  "))
	}
}

// uncataloguedErrors lists, as "line: what", the errors of file p built
// without an ID. inModels says p is in package models itself, where the
// names are unqualified.
func uncataloguedErrors(p string, inModels bool) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	is := func(e ast.Expr, name string) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return inModels && x.Name == name
		case *ast.SelectorExpr:
			pkg, ok := x.X.(*ast.Ident)
			return ok && pkg.Name == "models" && x.Sel.Name == name
		}
		return false
	}
	var out []string
	for _, decl := range f.Decls {
		// The definitions of the ID-less constructors are not offences.
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && inModels && (fn.Name.Name == "Errorf" || fn.Name.Name == "fieldErr") {
			continue
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if is(x.Fun, "Errorf") || is(x.Fun, "fieldErr") {
					out = append(out, fmt.Sprintf("%d: %s(...)", fset.Position(x.Pos()).Line, exprName(x.Fun)))
				}
			case *ast.CompositeLit:
				if is(x.Type, "Error") && !hasField(x, "ID") {
					out = append(out, fmt.Sprintf("%d: Error literal without ID", fset.Position(x.Pos()).Line))
				}
			}
			return true
		})
	}
	return out, nil
}

func exprName(e ast.Expr) string {
	if s, ok := e.(*ast.SelectorExpr); ok {
		return exprName(s.X) + "." + s.Sel.Name
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}

func hasField(lit *ast.CompositeLit, name string) bool {
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == name {
				return true
			}
		}
	}
	return false
}

// catalogueLiteral is a string literal naming a message of the error areas.
var catalogueLiteral = regexp.MustCompile(`"(err\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)"`)

// TestErrorIDsExist: every "err.…" literal in the domain and API code is a
// message of the catalogue in both languages. The importer's per-transfer
// IDs are bases completed with ".download" or ".upload".
func TestErrorIDsExist(t *testing.T) {
	root := filepath.Join("..")
	n := 0
	for _, dir := range []string{"models", "handlers/api"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "i18n") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range catalogueLiteral.FindAllStringSubmatch(string(b), -1) {
				n++
				id, _ := strconv.Unquote(`"` + m[1] + `"`)
				if !i18n.Has(id) && !(i18n.Has(id+".download") && i18n.Has(id+".upload")) {
					t.Errorf("%s names %s, which the catalogue lacks", p, id)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n == 0 {
		t.Fatal("found no message ID: the pattern is broken")
	}
}
