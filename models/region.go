package models

// Area says where a region is; it matters for Windows license fees (overseas)
// and for what the console explains about sync (North America).
type Area string

// Areas: overseas (outside the Chinese mainland, Hong Kong included) matters
// for Windows licence fees.
const (
	AreaMainland     Area = "mainland"
	AreaOverseas     Area = "overseas"
	AreaNorthAmerica Area = "north-america" // overseas, named so the console can say so
)

// Region is one row of the region table (Regions).
type Region struct {
	ID    string
	Name  string
	Area  Area
	Sync  bool // R3: image sync is offered only among these regions
	Zones []string
	// PriceFactor scales instance prices: overseas a little higher.
	PriceFactor float64
}

// Overseas reports whether the region lies outside the Chinese mainland.
func (r Region) Overseas() bool { return r.Area != AreaMainland }

// Regions is the one region table; adding a region is one line.
var Regions = []Region{
	{"ap-guangzhou", "Guangzhou", AreaMainland, true, zones("ap-guangzhou", 3, 4, 6, 7), 1.0},
	{"ap-shanghai", "Shanghai", AreaMainland, true, zones("ap-shanghai", 2, 3, 4, 5), 1.0},
	{"ap-beijing", "Beijing", AreaMainland, true, zones("ap-beijing", 1, 2, 3, 5, 6, 7), 1.0},
	{"ap-hongkong", "Hong Kong", AreaOverseas, true, zones("ap-hongkong", 2, 3), 1.2},
	{"ap-chengdu", "Chengdu", AreaMainland, false, zones("ap-chengdu", 1, 2), 0.95},
	{"ap-nanjing", "Nanjing", AreaMainland, false, zones("ap-nanjing", 1, 2, 3), 0.95},
	{"ap-singapore", "Singapore", AreaOverseas, false, zones("ap-singapore", 1, 2, 3), 1.2},
	{"ap-tokyo", "Tokyo", AreaOverseas, false, zones("ap-tokyo", 1, 2), 1.25},
	{"eu-frankfurt", "Frankfurt", AreaOverseas, false, zones("eu-frankfurt", 1, 2), 1.25},
	{"na-siliconvalley", "Silicon Valley", AreaNorthAmerica, false, zones("na-siliconvalley", 1, 2), 1.2},
	{"na-ashburn", "Virginia", AreaNorthAmerica, false, zones("na-ashburn", 1, 2), 1.2},
}

// DefaultRegion is where a new session starts.
const DefaultRegion = "ap-guangzhou"

func zones(region string, numbers ...int) []string {
	out := make([]string, len(numbers))
	for i, n := range numbers {
		out[i] = region + "-" + itoa(n)
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// LookupRegion finds a region by ID.
func LookupRegion(id string) (Region, bool) {
	for _, r := range Regions {
		if r.ID == id {
			return r, true
		}
	}
	return Region{}, false
}

// RegionOfZone returns the region a zone belongs to.
func RegionOfZone(zone string) (Region, bool) {
	for _, r := range Regions {
		for _, z := range r.Zones {
			if z == zone {
				return r, true
			}
		}
	}
	return Region{}, false
}

// HasZone reports whether zone belongs to the region.
func (r Region) HasZone(zone string) bool {
	for _, z := range r.Zones {
		if z == zone {
			return true
		}
	}
	return false
}

// InstanceType is one row of the instance type table (InstanceTypes).
type InstanceType struct {
	Type   string
	Family string
	CPU    int
	Memory int // GiB
	Arch   string
	// BasePrice is the hourly price in a mainland region, in CNY.
	BasePrice float64
}

// InstanceTypes offered in every zone.
var InstanceTypes = []InstanceType{
	{"S5.SMALL2", "S5", 1, 2, ArchX86, 0.16},
	{"S5.MEDIUM4", "S5", 2, 4, ArchX86, 0.32},
	{"S5.LARGE8", "S5", 4, 8, ArchX86, 0.64},
	{"S5.2XLARGE16", "S5", 8, 16, ArchX86, 1.28},
	{"SA3.MEDIUM4", "SA3", 2, 4, ArchX86, 0.28},
	{"SR1.MEDIUM4", "SR1", 2, 4, ArchARM, 0.25},
	{"SR1.LARGE8", "SR1", 4, 8, ArchARM, 0.50},
}

// LookupInstanceType finds an instance type by name.
func LookupInstanceType(name string) (InstanceType, bool) {
	for _, t := range InstanceTypes {
		if t.Type == name {
			return t, true
		}
	}
	return InstanceType{}, false
}

// CanRun reports whether an instance of this type can boot an image of the
// given architecture: arm images only on SR1 (ARM) types, x86 images never there.
func (t InstanceType) CanRun(arch string) bool {
	if t.Arch == ArchARM {
		return arch == ArchARM
	}
	return arch == ArchX86 || arch == ArchI386
}

// HourlyPrice is the type's price per hour in the region.
func (t InstanceType) HourlyPrice(r Region) float64 {
	return roundPrice(t.BasePrice * r.PriceFactor)
}
