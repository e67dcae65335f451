package models

// Error codes, as the official SDK spells them (and a few of our own). One constant per code so that a typo is a
// compile error, not a silent mismatch between the console and the API.
const (
	CodeInternal                 = "InternalError"
	CodeInvalidParameter         = "InvalidParameter"
	CodeInvalidParameterValue    = "InvalidParameterValue"
	CodeTooLarge                 = "InvalidParameterValue.TooLarge"
	CodeMissingParameter         = "MissingParameter"
	CodeUnsupportedOperation     = "UnsupportedOperation"
	CodeResourceNotFound         = "ResourceNotFound"
	CodeAuthFailure              = "AuthFailure"
	CodeAuthSignatureExpire      = "AuthFailure.SignatureExpire"
	CodeAuthSecretIDNotFound     = "AuthFailure.SecretIdNotFound"
	CodeAuthSignatureFailure     = "AuthFailure.SignatureFailure"
	CodeAuthInvalidAuthorization = "AuthFailure.InvalidAuthorization"
	CodeAuthMissingAuthorization = "AuthFailure.MissingAuthorization"
	CodeInvalidRegionNotFound    = "InvalidRegion.NotFound"
	CodeInvalidRegionUnavailable = "InvalidRegion.Unavailable"
	CodeInvalidZoneMismatch      = "InvalidZone.MismatchRegion"
	CodeInvalidImageIDNotFound   = "InvalidImageId.NotFound"
	CodeInvalidImageIDMalformed  = "InvalidImageId.Malformed"
	CodeInvalidImageIDState      = "InvalidImageId.IncorrectState"
	CodeInvalidImageIDInShared   = "InvalidImageId.InShared"
	CodeImageIsShared            = "InvalidParameterValue.InvalidImageIdIsShared"
	CodeImageNameDuplicate       = "InvalidImageName.Duplicate"
	CodeImageQuota               = "ImageQuotaLimitExceeded"
	CodeDailyOps                 = "LimitExceeded.DailyImageOperations"
	CodeInstancesQuota           = "InstancesQuotaLimitExceeded"
	CodeInstanceNotFound         = "InvalidInstanceId.NotFound"
	CodeInstanceMalformed        = "InvalidInstanceId.Malformed"
	CodeInvalidImageForType      = "InvalidParameterValue.InvalidImageForGivenInstanceType"
	CodeInvalidInstanceType      = "InvalidInstanceType.Malformed"
	CodeUnsupportedRegion        = "UnsupportedOperation.Region"
	CodeSharedImageModify        = "UnsupportedOperation.SharedImageModifyUnsupported"
	CodeNotBelongToAccount       = "UnauthorizedOperation.ImageNotBelongToAccount"
	CodeAccountIsYourself        = "FailedOperation.AccountIsYourSelf"
	CodeAccountAlreadyExists     = "FailedOperation.AccountAlreadyExists"
	CodeNotMasterAccount         = "FailedOperation.NotMasterAccount"
	CodeAccountNotFound          = "InvalidAccountId.NotFound"
	CodeOverQuota                = "OverQuota"
	CodeISOForce                 = "InvalidParameterValue.ISOMustImportByForce"
	CodeOsTypeUnsupported        = "InvalidImageOsType.Unsupported"
	CodeOsVersionUnsupported     = "InvalidImageOsVersion.Unsupported"
	CodeInvalidURL               = "InvalidParameter.InvalidParameterUrlError"
	CodeDryRun                   = "DryRunOperation"
	CodeInstanceTypeNotFound     = "InvalidParameterValue.InstanceTypeNotFound"
	CodeRange                    = "InvalidParameterValue.Range"
	CodeInstanceNameTooLong      = "InvalidInstanceName.TooLong"
	CodeZoneNotSupported         = "InvalidParameterValue.ZoneNotSupported"
	// CodeSharedImageAck (project-defined) refuses a launch from a shared
	// image before the user accepted its warning.
	CodeSharedImageAck = "MissingParameter.SharedImageAcknowledgement"
)

// Codes of the API keys and of the DescribeImages request checks.
const (
	CodeAccessKeyQuota         = "LimitExceeded.AccessKeyQuota"
	CodeInvalidFilter          = "InvalidFilter"
	CodeFilterLimit            = "InvalidFilterValue.LimitExceeded"
	CodeCoexistImageIDsFilters = "InvalidParameter.InvalidParameterCoexistImageIdsFilters"
	CodeValueLimitExceeded     = "InvalidParameterValue.LimitExceeded"
)

// Codes of the platform side: provider listings and operator actions.
const (
	// CodeForbiddenRole refuses a provider or operator action to an account
	// of another role; the console answers it as not found.
	CodeForbiddenRole   = "UnauthorizedOperation.Role"
	CodeListingNotFound = "ResourceNotFound.MarketListing"
	CodeListingState    = "UnsupportedOperation.MarketListingState"
)
