package browser_test

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, copied from the pinned npm package by make generate.
//
//go:embed testdata/axe.min.js
var axeSource string

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeAll runs the WCAG 2.x A and AA rules and axe's best practices.
const axeAll = `{runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, resultTypes: ["violations"]}`

// axeContrast runs only the colour contrast rule: all that changes when
// the same page switches to the dark scheme.
const axeContrast = `{runOnly: {type: "rule", values: ["color-contrast"]}, resultTypes: ["violations"]}`

// checkA11y runs axe-core on the page as it is and fails on serious and
// critical violations; lesser ones are logged.
func (p *tab) checkA11y(page string) { p.t.Helper(); p.axe(page, axeAll) }

func (p *tab) axe(page, options string) {
	p.t.Helper()
	if p.eval(`typeof window.axe`) != "object" {
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			p.fatalf("inject axe-core: %v", err)
		}
	}
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, `+options+`)
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatalf("run axe-core on %s: %v", page, err)
	}
	var serious []string
	for _, v := range got {
		line := fmt.Sprintf("%s [%s] %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n      "))
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, line)
		} else {
			p.t.Logf("a11y %s (%s): %s", page, p.name, line)
		}
	}
	if len(serious) > 0 {
		p.t.Errorf("accessibility: %d serious or critical violations on %s:\n    %s", len(serious), page, strings.Join(serious, "\n    "))
	}
}
