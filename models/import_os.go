package models

import "slices"

// ImportOS is one operating system an imported image may declare
// (DescribeImportImageOs and the console's import form read this list).
type ImportOS struct {
	OsType   string // the API's OsName, e.g. "CentOS"
	Family   string // "Linux" or "Windows"
	Versions []string
	Archs    []string // of x86_64, i386, arm_64
}

// Import architectures as the ImportImage API spells them.
const (
	ImportArchX86  = "x86_64"
	ImportArchI386 = "i386"
	ImportArchARM  = "arm_64"
)

// ImportArchs are the architectures an import may declare, for forms.
var ImportArchs = []string{ImportArchX86, ImportArchI386, ImportArchARM}

// ImportOSList is the supported list of DescribeImportImageOs, which the console's import form uses too.
var ImportOSList = []ImportOS{
	{"CentOS", "Linux", []string{"7", "8"}, []string{ImportArchX86, ImportArchARM}},
	{"Ubuntu", "Linux", []string{"20.04", "22.04", "24.04"}, []string{ImportArchX86, ImportArchARM}},
	{"Debian", "Linux", []string{"11", "12"}, []string{ImportArchX86, ImportArchI386, ImportArchARM}},
	{"Rocky", "Linux", []string{"8", "9"}, []string{ImportArchX86, ImportArchARM}},
	{"AlmaLinux", "Linux", []string{"8", "9"}, []string{ImportArchX86, ImportArchARM}},
	{"OpenCloudOS", "Linux", []string{"8", "9"}, []string{ImportArchX86, ImportArchARM}},
	{"TencentOS", "Linux", []string{"2.4", "3.1", "4"}, []string{ImportArchX86, ImportArchARM}},
	{"Other Linux", "Linux", []string{"-"}, []string{ImportArchX86, ImportArchI386, ImportArchARM}},
	{"Windows", "Windows", []string{"Windows Server 2016", "Windows Server 2019", "Windows Server 2022"}, []string{ImportArchX86}},
}

// lookupImportOS validates an OS type, version and architecture against the
// supported list.
func lookupImportOS(osType, version, arch string) (ImportOS, error) {
	for _, o := range ImportOSList {
		if o.OsType != osType {
			continue
		}
		if !slices.Contains(o.Versions, version) {
			return o, FieldE("os_version", CodeOsVersionUnsupported, "err.importOS.versionUnsupported", "Version", version, "OsType", osType)
		}
		if !slices.Contains(o.Archs, arch) {
			return o, FieldE("arch", CodeInvalidParameterValue, "err.importOS.archInvalid", "OsType", osType)
		}
		return o, nil
	}
	return ImportOS{}, FieldE("os_type", CodeOsTypeUnsupported, "err.importOS.typeUnsupported", "OsType", osType)
}

// imageArch maps an import architecture to an image architecture.
func imageArch(importArch string) string {
	if importArch == ImportArchARM {
		return ArchARM
	}
	return importArch
}
