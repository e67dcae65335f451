package api_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestReadme_PackerTemplate checks the README's Packer template: every
// setting of its tencentcloud-cvm source is one the builder's Config
// accepts, with a value of the setting's type, and its values are those
// TestPacker_Build gives the builder (through the driver, which sets some
// itself), so the template is the build that test runs.
func TestReadme_PackerTemplate(t *testing.T) {
	dir, _ := packerDir(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	src := hclBlock(t, string(readme), "### Packer")
	file, err := parseHCL(src)
	if err != nil {
		t.Fatalf("the README's Packer template does not parse: %v\n%s", err, src)
	}
	source := file.block("source", "tencentcloud-cvm")
	if source == nil {
		t.Fatalf("the template has no source \"tencentcloud-cvm\" block:\n%s", src)
	}
	accepted := builderSettings(t, dir)

	settings := map[string]hclValue{}
	for _, it := range source.body {
		if it.block != nil {
			t.Errorf("nested block %s: the builder's top-level settings are attributes", it.block.typ)
			continue
		}
		settings[it.name] = it.value
		kind, ok := accepted[it.name]
		if !ok {
			t.Errorf("setting %s is not one the builder accepts", it.name)
			continue
		}
		if want := hclKindOf(kind); want != "" && it.value.kind() != want {
			t.Errorf("setting %s is a %s; the builder's %s takes a %s", it.name, it.value.kind(), kind, want)
		}
	}

	// What the e2e test passes through the driver's environment, and what
	// the driver sets itself (read from its source).
	e := newEnv(t)
	want := map[string]any{
		"region": packerDrive.region, "zone": packerDrive.zone, "instance_type": packerDrive.instanceType,
		"image_copy_regions": []string{packerDrive.copyRegion}, "image_name": packerDrive.imageName,
		"source_image_id": e.packerSource(t),
	}
	for k, v := range driverLiterals(t, dir) {
		want[k] = v
	}
	for _, k := range []string{"communicator", "disk_type", "image_description", "run_tags"} {
		if _, ok := want[k]; !ok {
			t.Fatalf("the driver no longer sets %s: read cmd/drive again", k)
		}
	}
	for k, v := range want {
		got, ok := settings[k]
		if !ok {
			t.Errorf("the template does not set %s (the e2e build uses %v)", k, v)
			continue
		}
		if !reflect.DeepEqual(got.plain(), v) {
			t.Errorf("the template sets %s = %v; the e2e build uses %v", k, got.plain(), v)
		}
	}
	// Both products through the console, as the e2e build does.
	cvmEP, vpcEP := settings["cvm_endpoint"].plain(), settings["vpc_endpoint"].plain()
	if ep, ok := cvmEP.(string); !ok || ep != vpcEP || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(ep) {
		t.Errorf("cvm_endpoint %v and vpc_endpoint %v: want the same http:// address of the console", cvmEP, vpcEP)
	}
	// The accounts to share with: a variable the template declares.
	if got := settings["image_share_accounts"]; got.kind() != "list" || len(got.list) != 1 || got.list[0].ref == "" {
		t.Errorf("image_share_accounts = %v: want [var.<name>]", got.plain())
	} else if name, _ := strings.CutPrefix(got.list[0].ref, "var."); file.block("variable", name) == nil {
		t.Errorf("image_share_accounts names %s, which the template does not declare", got.list[0].ref)
	}
	if b := file.block("build", ""); b == nil || !slices.ContainsFunc(b.body, func(it hclItem) bool {
		return it.name == "sources" && reflect.DeepEqual(it.value.plain(), []string{"source.tencentcloud-cvm." + source.labels[1]})
	}) {
		t.Errorf("the build block does not build source.tencentcloud-cvm.%s", source.labels[1])
	}
}

// hclBlock is the first ```hcl block after heading in markdown.
func hclBlock(t *testing.T, markdown, heading string) string {
	t.Helper()
	_, after, ok := strings.Cut(markdown, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("the README has no %q section", heading)
	}
	_, code, ok := strings.Cut(after, "```hcl\n")
	if !ok {
		t.Fatalf("the README's %q section has no hcl block", heading)
	}
	code, _, _ = strings.Cut(code, "\n```")
	return code
}

// builderSettings reads the builder's settings from its source: the
// mapstructure names of FlatConfig, the flattened form of Config (its own
// *config*.go structs and the packer SDK's squashed ones, communicator
// included) that packer-sdc generates for HCL templates, each with its Go
// type.
func builderSettings(t *testing.T, dir string) map[string]string {
	t.Helper()
	path := filepath.Join(dir, "builder", "tencentcloud", "cvm", "builder.hcl2spec.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "FlatConfig" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			if field.Tag == nil {
				continue
			}
			tag, _ := strconv.Unquote(field.Tag.Value)
			name, _, _ := strings.Cut(reflect.StructTag(tag).Get("mapstructure"), ",")
			if name != "" {
				out[name] = types(field.Type)
			}
		}
		return false
	})
	if len(out) < 20 || out["image_name"] == "" || out["communicator"] == "" {
		t.Fatalf("read %d settings from %s: the file's shape changed", len(out), path)
	}
	// The builder's own settings are declared in its *config*.go files;
	// FlatConfig must not name one they lack (else it is stale).
	own := map[string]bool{}
	matches, _ := filepath.Glob(filepath.Join(dir, "builder", "tencentcloud", "cvm", "*config*.go"))
	tagRE := regexp.MustCompile(`mapstructure:"([a-z_]+)"`)
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range tagRE.FindAllStringSubmatch(string(b), -1) {
			own[sm[1]] = true
		}
	}
	for _, name := range []string{"region", "zone", "cvm_endpoint", "vpc_endpoint", "instance_type", "source_image_id",
		"image_name", "image_share_accounts", "image_copy_regions", "disk_type", "run_tags"} {
		if !own[name] {
			t.Errorf("the builder's *config*.go files do not declare %s", name)
		}
	}
	return out
}

// types renders a Go type expression: *string, []string, map[string]string.
func types(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "*" + types(x.X)
	case *ast.ArrayType:
		return "[]" + types(x.Elt)
	case *ast.MapType:
		return "map[" + types(x.Key) + "]" + types(x.Value)
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return types(x.X) + "." + x.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

// hclKindOf is the kind of HCL value a Go setting type takes, or "" when
// the test does not judge it.
func hclKindOf(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "string":
		return "string"
	case "bool":
		return "bool"
	case "int", "int64":
		return "number"
	case "[]string":
		return "list"
	case "map[string]string":
		return "map"
	}
	return ""
}

// driverLiterals are the settings cmd/drive gives the builder as literals:
// "key": "value" and "key": map[string]string{"k": "v"}.
func driverLiterals(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "cmd", "drive", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, m := range regexp.MustCompile(`"([a-z_]+)":\s+"([^"]*)",`).FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	for _, m := range regexp.MustCompile(`"([a-z_]+)":\s+map\[string\]string\{([^}]*)\}`).FindAllStringSubmatch(string(b), -1) {
		kv := map[string]string{}
		for _, p := range regexp.MustCompile(`"([^"]*)":\s*"([^"]*)"`).FindAllStringSubmatch(m[2], -1) {
			kv[p[1]] = p[2]
		}
		out[m[1]] = kv
	}
	// Builder bookkeeping, not template settings.
	delete(out, "packer_build_name")
	delete(out, "packer_builder_type")
	return out
}

// A small reader for the HCL a Packer template uses: blocks with labels,
// attributes whose values are strings, numbers, booleans, references
// (var.x), lists and maps. It is enough to read the README's template and
// fails on anything else.
type hclValue struct {
	str    *string
	ref    string // var.x, string, true/false and numbers are kept here as written
	list   []hclValue
	object map[string]hclValue
}

func (v hclValue) kind() string {
	switch {
	case v.str != nil:
		return "string"
	case v.list != nil:
		return "list"
	case v.object != nil:
		return "map"
	case v.ref == "true" || v.ref == "false":
		return "bool"
	case v.ref != "" && unicode.IsDigit(rune(v.ref[0])):
		return "number"
	}
	return "reference"
}

// plain is the value as Go data: string, []string, map[string]string, or
// the reference as written.
func (v hclValue) plain() any {
	switch v.kind() {
	case "string":
		return *v.str
	case "list":
		out := []string{}
		for _, e := range v.list {
			out = append(out, fmt.Sprint(e.plain()))
		}
		return out
	case "map":
		out := map[string]string{}
		for k, e := range v.object {
			out[k] = fmt.Sprint(e.plain())
		}
		return out
	}
	return v.ref
}

type hclItem struct {
	name  string // an attribute's name
	value hclValue
	block *hclBlk
}

type hclBlk struct {
	typ    string
	labels []string
	body   []hclItem
}

type hclFile struct{ body []hclItem }

// block finds a top-level block by type and first label ("" for none).
func (f hclFile) block(typ, label string) *hclBlk {
	for _, it := range f.body {
		if b := it.block; b != nil && b.typ == typ && (label == "" || len(b.labels) > 0 && b.labels[0] == label) {
			return b
		}
	}
	return nil
}

var hclToken = regexp.MustCompile(`\s+|#[^\n]*|//[^\n]*|"(?:[^"\\]|\\.)*"|[{}\[\]=,:]|[A-Za-z0-9_.\-]+`)

func parseHCL(src string) (hclFile, error) {
	var toks []string
	for i := 0; i < len(src); {
		loc := hclToken.FindStringIndex(src[i:])
		if loc == nil || loc[0] != 0 {
			return hclFile{}, fmt.Errorf("unexpected %q", src[i:min(len(src), i+20)])
		}
		tok := src[i : i+loc[1]]
		if strings.TrimSpace(tok) != "" && !strings.HasPrefix(tok, "#") && !strings.HasPrefix(tok, "//") {
			toks = append(toks, tok)
		}
		i += loc[1]
	}
	p := &hclParser{toks: toks}
	body, err := p.body(false)
	if err == nil && p.i < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.i])
	}
	return hclFile{body: body}, err
}

type hclParser struct {
	toks []string
	i    int
}

func (p *hclParser) next() string {
	if p.i >= len(p.toks) {
		return ""
	}
	p.i++
	return p.toks[p.i-1]
}

func (p *hclParser) peek() string {
	if p.i >= len(p.toks) {
		return ""
	}
	return p.toks[p.i]
}

func (p *hclParser) body(nested bool) ([]hclItem, error) {
	var items []hclItem
	for {
		switch tok := p.peek(); {
		case tok == "" && !nested:
			return items, nil
		case tok == "}" && nested:
			p.next()
			return items, nil
		case tok == "" || !regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_\-]*$`).MatchString(tok):
			return nil, fmt.Errorf("expected a name, got %q", tok)
		}
		name := p.next()
		if p.peek() == "=" {
			p.next()
			v, err := p.value()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			items = append(items, hclItem{name: name, value: v})
			continue
		}
		b := &hclBlk{typ: name}
		for strings.HasPrefix(p.peek(), `"`) {
			label, _ := strconv.Unquote(p.next())
			b.labels = append(b.labels, label)
		}
		if p.next() != "{" {
			return nil, fmt.Errorf("block %s: expected {", name)
		}
		inner, err := p.body(true)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		b.body = inner
		items = append(items, hclItem{block: b})
	}
}

func (p *hclParser) value() (hclValue, error) {
	switch tok := p.next(); {
	case strings.HasPrefix(tok, `"`):
		s, err := strconv.Unquote(tok)
		return hclValue{str: &s}, err
	case tok == "[":
		v := hclValue{list: []hclValue{}}
		for p.peek() != "]" {
			e, err := p.value()
			if err != nil {
				return v, err
			}
			v.list = append(v.list, e)
			if p.peek() == "," {
				p.next()
			}
		}
		p.next()
		return v, nil
	case tok == "{":
		v := hclValue{object: map[string]hclValue{}}
		for p.peek() != "}" {
			key := p.next()
			if k, err := strconv.Unquote(key); err == nil {
				key = k
			}
			if sep := p.next(); sep != "=" && sep != ":" {
				return v, fmt.Errorf("map key %s: expected = or :", key)
			}
			e, err := p.value()
			if err != nil {
				return v, err
			}
			v.object[key] = e
			if p.peek() == "," {
				p.next()
			}
		}
		p.next()
		return v, nil
	case tok == "" || strings.ContainsAny(tok, "{}[]=,:"):
		return hclValue{}, fmt.Errorf("expected a value, got %q", tok)
	default:
		return hclValue{ref: tok}, nil
	}
}
