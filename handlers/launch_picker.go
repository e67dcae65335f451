package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/pages"
)

// launchPicker is the launch's first step, /instances/new without an
// image: the images of the region to launch from, each linked to the
// wizard, grouped by tab.
func (h *Handler) launchPicker(c echo.Context) error {
	l := lang(c)
	vm := pages.LaunchPickerPageVM{Shell: shell(c, l.T("instances.picker.title"), "instances")}
	for _, tab := range launchTabs {
		g := pages.LaunchImageGroupVM{Key: tab, Label: imageTabLabel(l, tab)}
		imgs, err := h.launchable(c, region(c), tab)
		if err != nil {
			return err
		}
		for _, img := range imgs {
			g.Images = append(g.Images, pages.LaunchImageVM{ID: img.ID, Name: img.Name,
				Detail: imageDetail(l, &img), Href: launchURLFor(region(c), img.ID)})
		}
		if len(g.Images) > 0 {
			vm.Groups = append(vm.Groups, g)
		}
	}
	return Render(c, http.StatusOK, pages.LaunchPickerPage(vm))
}

// launchURLFor is the wizard for one image, with the default choices.
func launchURLFor(region, image string) string {
	return "/instances/new?" + url.Values{"region": {region}, "image": {image}}.Encode()
}

// imageDetail is the picker's line under an image's name: its
// architecture, after its operating system when the name does not say it.
func imageDetail(l i18n.Lang, img *models.Image) string {
	if img.OsName == "" || strings.HasPrefix(img.Name, img.OsName) {
		return l.T("instances.picker.arch", "Arch", img.Arch)
	}
	return l.T("instances.picker.detail", "OS", img.OsName, "Arch", img.Arch)
}
