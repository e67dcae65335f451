package models

import (
	"strings"

	"gorm.io/gorm"
)

// maxSearchWords bounds the words of one search, so a long search stays a
// short query.
const maxSearchWords = 8

// searchImages narrows an image list to a search the way people type one:
// split into words, each word must appear (case-insensitively, in any
// order) in the name, the platform or the OS name with its version, so
// "ubuntu 22" finds "Ubuntu Server 22.04 LTS 64bit". A search that is an
// image's ID finds that image.
func searchImages(list *gorm.DB, search string) *gorm.DB {
	words := strings.Fields(strings.ToLower(search))
	if len(words) == 0 {
		return list
	}
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	const word = "(LOWER(images.name) LIKE ? ESCAPE '\\' OR LOWER(images.platform) LIKE ? ESCAPE '\\' OR LOWER(images.os_name) LIKE ? ESCAPE '\\')"
	conds := make([]string, len(words))
	args := []any{strings.ToLower(strings.TrimSpace(search))}
	for i, w := range words {
		conds[i] = word
		p := "%" + escapeLike(w) + "%"
		args = append(args, p, p, p)
	}
	return list.Where("(images.id = ? OR ("+strings.Join(conds, " AND ")+"))", args...)
}
