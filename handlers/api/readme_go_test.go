package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadme_GoSnippet builds and runs the README's Go example (section
// "Use it from code") as a program against a test server: the import
// block and the statements as written, with only the address and the key
// filled in, so what users copy is what is tested.
func TestReadme_GoSnippet(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "```go\n")
	if start < 0 {
		t.Fatal("README.md has no Go example")
	}
	snippet := readme[start+len("```go\n"):]
	snippet = snippet[:strings.Index(snippet, "```")]
	imports, body, ok := strings.Cut(snippet, ")\n")
	if !ok || !strings.HasPrefix(imports, "import (") {
		t.Fatalf("the README's Go example does not start with an import block:\n%s", snippet)
	}
	if !strings.Contains(body, `"127.0.0.1:8080"`) {
		t.Fatalf("the README's Go example does not use the default address:\n%s", body)
	}

	e := newEnv(t)
	u := e.user(t, "readme@example.com")
	body = strings.Replace(body, `"127.0.0.1:8080"`, `"`+e.endpoint+`"`, 1)
	program := "package main\n\n" + imports + "\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n" +
		"\tsecretID, secretKey := os.Getenv(\"IC_ID\"), os.Getenv(\"IC_KEY\")\n" + body +
		"\tif err != nil {\n\t\tfmt.Println(\"error:\", err)\n\t\tos.Exit(1)\n\t}\n" +
		"\tfmt.Println(\"images:\", *res.Response.TotalCount)\n}\n"

	// Inside the module, so the program builds with its pinned SDK.
	dir, err := os.MkdirTemp("testdata", "readme-go-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./"+filepath.ToSlash(dir))
	cmd.Env = append(os.Environ(), "IC_ID="+u.secretID, "IC_KEY="+u.secretKey)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "images: 0") {
		t.Fatalf("the README's Go example (%v):\n%s\n--- program:\n%s", err, out, program)
	}
}
