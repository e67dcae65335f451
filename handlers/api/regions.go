package api

import (
	"strconv"
	"strings"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// stateAvailable is the RegionState and ZoneState of every region and zone.
const stateAvailable = "AVAILABLE"

func (a *API) regionActions() map[string]action {
	return map[string]action{
		"DescribeRegions": handle(cvm.NewDescribeRegionsRequest, a.describeRegions).global(),
		"DescribeZones":   handle(cvm.NewDescribeZonesRequest, a.describeZones),
	}
}

// describeRegions lists the one region table.
func (a *API) describeRegions(_ *call, _ *cvm.DescribeRegionsRequest) (*cvm.DescribeRegionsResponseParams, error) {
	out := &cvm.DescribeRegionsResponseParams{RegionSet: make([]*cvm.RegionInfo, 0, len(models.Regions)),
		TotalCount: ptr(uint64(len(models.Regions)))}
	for _, r := range models.Regions {
		out.RegionSet = append(out.RegionSet, &cvm.RegionInfo{Region: ptr(r.ID), RegionName: ptr(r.Name), RegionState: ptr(stateAvailable)})
	}
	return out, nil
}

// describeZones lists the zones of the request's region.
func (a *API) describeZones(c *call, _ *cvm.DescribeZonesRequest) (*cvm.DescribeZonesResponseParams, error) {
	out := &cvm.DescribeZonesResponseParams{ZoneSet: make([]*cvm.ZoneInfo, 0, len(c.region.Zones)),
		TotalCount: ptr(uint64(len(c.region.Zones)))}
	for _, z := range c.region.Zones {
		n := z[strings.LastIndex(z, "-")+1:]
		out.ZoneSet = append(out.ZoneSet, &cvm.ZoneInfo{Zone: ptr(z), ZoneName: ptr(c.region.Name + " Zone " + n),
			ZoneId: ptr(zoneID(c.region.ID, n)), ZoneState: ptr(stateAvailable)})
	}
	return out, nil
}

// zoneID is a stable numeric zone ID in the cloud's style: the region's
// position in the table, then the zone number on five digits.
func zoneID(region, n string) string {
	for i, r := range models.Regions {
		if r.ID == region {
			num, _ := strconv.Atoi(n)
			return strconv.Itoa((i+1)*100000 + num)
		}
	}
	return ""
}
