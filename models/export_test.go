package models

// Columns and AllModels are columns and allModels, for the tests of package
// models_test.
var (
	Columns   = columns
	AllModels = allModels
)

// RawStatements are the statements the store sends without GORM, by name.
func RawStatements() map[string]string {
	out := map[string]string{
		"imageSource": imageSourceSQL, "apiKey": apiKeySQL, "enqueue": enqueueSQL, "quotaOverride": quotaOverrideSQL,
	}
	for name, c := range map[string]counter{"imageSlots": imageSlots, "opSlots": opSlots, "instanceSlots": instanceSlots} {
		out[name+".claim"], out[name+".release"] = c.claim, c.release
	}
	return out
}
