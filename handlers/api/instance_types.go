package api

import (
	"slices"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// chargePostpaid is the only charge type: pay by the hour.
const chargePostpaid = models.ChargePostpaidByHour

func (a *API) instanceTypeActions() map[string]action {
	return map[string]action{
		"DescribeInstanceTypeConfigs":     handle(cvm.NewDescribeInstanceTypeConfigsRequest, a.describeInstanceTypeConfigs),
		"DescribeZoneInstanceConfigInfos": handle(cvm.NewDescribeZoneInstanceConfigInfosRequest, a.describeZoneInstanceConfigInfos),
	}
}

// offer is one instance type sold in one zone.
type offer struct {
	zone string
	it   models.InstanceType
}

// offers lists the region's zones × instance types that match every filter
// (a filter matches when one of its values does).
func offers(r models.Region, sdkFilters []*cvm.Filter, known ...string) ([]offer, error) {
	fs := filters(sdkFilters)
	if err := models.ValidateFilters(fs, func(name string) bool { return slices.Contains(known, name) }); err != nil {
		return nil, err
	}
	var out []offer
	for _, z := range r.Zones {
		for _, it := range models.InstanceTypes {
			attrs := map[string]string{"zone": z, "instance-family": it.Family, "instance-type": it.Type,
				"instance-charge-type": chargePostpaid}
			if slices.IndexFunc(fs, func(f models.Filter) bool { return !slices.Contains(f.Values, attrs[f.Name]) }) < 0 {
				out = append(out, offer{z, it})
			}
		}
	}
	return out, nil
}

// describeInstanceTypeConfigs lists the instance types of models.InstanceTypes in
// every zone of the region.
func (a *API) describeInstanceTypeConfigs(c *call, req *cvm.DescribeInstanceTypeConfigsRequest) (*cvm.DescribeInstanceTypeConfigsResponseParams, error) {
	list, err := offers(c.region, req.Filters, "zone", "instance-family", "instance-type")
	if err != nil {
		return nil, err
	}
	out := &cvm.DescribeInstanceTypeConfigsResponseParams{InstanceTypeConfigSet: make([]*cvm.InstanceTypeConfig, 0, len(list))}
	for _, o := range list {
		out.InstanceTypeConfigSet = append(out.InstanceTypeConfigSet, &cvm.InstanceTypeConfig{Zone: ptr(o.zone),
			InstanceType: ptr(o.it.Type), InstanceFamily: ptr(o.it.Family), CPU: ptr(int64(o.it.CPU)),
			Memory: ptr(int64(o.it.Memory)), GPU: ptr(int64(0)), FPGA: ptr(int64(0)), GpuCount: ptr(0.0)})
	}
	return out, nil
}

// describeZoneInstanceConfigInfos is the same table with what an instance
// of each type costs per hour in the region.
func (a *API) describeZoneInstanceConfigInfos(c *call, req *cvm.DescribeZoneInstanceConfigInfosRequest) (*cvm.DescribeZoneInstanceConfigInfosResponseParams, error) {
	list, err := offers(c.region, req.Filters, "zone", "instance-family", "instance-type", "instance-charge-type")
	if err != nil {
		return nil, err
	}
	out := &cvm.DescribeZoneInstanceConfigInfosResponseParams{InstanceTypeQuotaSet: make([]*cvm.InstanceTypeQuotaItem, 0, len(list))}
	for _, o := range list {
		price := o.it.HourlyPrice(c.region)
		out.InstanceTypeQuotaSet = append(out.InstanceTypeQuotaSet, &cvm.InstanceTypeQuotaItem{
			Zone: ptr(o.zone), InstanceType: ptr(o.it.Type), InstanceChargeType: ptr(chargePostpaid),
			InstanceFamily: ptr(o.it.Family), TypeName: ptr(o.it.Family + " (" + o.it.Arch + ")"),
			Cpu: ptr(int64(o.it.CPU)), Memory: ptr(int64(o.it.Memory)), Gpu: ptr(int64(0)), Fpga: ptr(int64(0)),
			GpuCount: ptr(0.0), NetworkCard: ptr(int64(0)), LocalDiskTypeList: []*cvm.LocalDiskType{},
			Status: ptr("SELL"), StatusCategory: ptr("EnoughStock"), SoldOutReason: ptr(""),
			Price: &cvm.ItemPrice{UnitPrice: ptr(price), ChargeUnit: ptr("HOUR"), UnitPriceDiscount: ptr(price), Discount: ptr(100.0)},
		})
	}
	return out, nil
}
