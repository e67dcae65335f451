package pages

import "imageconsole/views/layouts"

// APIKeysPageVM is the API keys screen.
type APIKeysPageVM struct {
	Shell layouts.Shell
	Keys  []APIKeyRowVM
	Max   int
	// New is the key just created: its SecretKey is shown this once.
	New *NewAPIKeyVM
	// Full: the account holds Max keys, so Create key is disabled.
	Full bool
	// Alert and AlertCode say why the last create was refused.
	Alert, AlertCode string
	// Endpoint is the host:port programs send requests to.
	Endpoint string
}

// APIKeyRowVM is one key of the list.
type APIKeyRowVM struct {
	SecretID, Created, CreatedExact, LastUsed, LastUsedExact string
	Enabled                                                  bool
}

// NewAPIKeyVM is a key just created.
type NewAPIKeyVM struct {
	AccountID, SecretID, SecretKey string
}

// sdkCode is the official Go SDK's set-up for this endpoint, in the
// region in view.
func sdkCode(endpoint, region string) string {
	return `cpf := profile.NewClientProfile()
cpf.HttpProfile.Endpoint = "` + endpoint + `"
cpf.HttpProfile.Scheme = "HTTP"
client, err := cvm.NewClient(common.NewCredential(secretID, secretKey), "` + region + `", cpf)`
}
