package api

import (
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

func (a *API) imageActions() map[string]action {
	return map[string]action{
		"DescribeImages":                   handle(cvm.NewDescribeImagesRequest, a.describeImages),
		"DescribeImportImageOs":            handle(cvm.NewDescribeImportImageOsRequest, a.describeImportImageOs),
		"DescribeImageQuota":               handle(cvm.NewDescribeImageQuotaRequest, a.describeImageQuota),
		"DescribeImageFromFamily":          handle(cvm.NewDescribeImageFromFamilyRequest, a.describeImageFromFamily),
		models.ActionCreateImage:           handle(cvm.NewCreateImageRequest, a.createImage),
		models.ActionImportImage:           handle(cvm.NewImportImageRequest, a.importImage),
		models.ActionModifyImageAttribute:  handle(cvm.NewModifyImageAttributeRequest, a.modifyImageAttribute),
		models.ActionDeleteImages:          handle(cvm.NewDeleteImagesRequest, a.deleteImages),
		models.ActionSyncImages:            handle(cvm.NewSyncImagesRequest, a.syncImages),
		models.ActionModifySharePermission: handle(cvm.NewModifyImageSharePermissionRequest, a.modifyImageSharePermission),
		"DescribeImageSharePermission":     handle(cvm.NewDescribeImageSharePermissionRequest, a.describeImageSharePermission),
	}
}

// describeImages searches the images the account may see in the region.
func (a *API) describeImages(c *call, req *cvm.DescribeImagesRequest) (*cvm.DescribeImagesResponseParams, error) {
	in := models.DescribeImagesInput{ImageIDs: strs(req.ImageIds), Filters: filters(req.Filters),
		Offset: u64(req.Offset), Limit: u64(req.Limit), InstanceType: str(req.InstanceType)}
	rows, total, err := a.store.DescribeImages(c.ctx, c.actor.AccountID, c.region.ID, in)
	if err != nil {
		return nil, err
	}
	out := &cvm.DescribeImagesResponseParams{ImageSet: make([]*cvm.Image, 0, len(rows)), TotalCount: &total}
	for i := range rows {
		out.ImageSet = append(out.ImageSet, sdkImage(&rows[i]))
	}
	return out, nil
}

// describeImageFromFamily is the newest usable image of a family, or no
// image (null) when the family has none.
func (a *API) describeImageFromFamily(c *call, req *cvm.DescribeImageFromFamilyRequest) (*cvm.DescribeImageFromFamilyResponseParams, error) {
	img, err := a.store.DescribeImageFromFamily(c.ctx, c.actor.AccountID, c.region.ID, str(req.ImageFamily))
	if err != nil || img == nil {
		return &cvm.DescribeImageFromFamilyResponseParams{}, err
	}
	return &cvm.DescribeImageFromFamilyResponseParams{Image: sdkImage(img)}, nil
}

// timeLayout is the API's CreatedTime: ISO 8601 in UTC.
const timeLayout = "2006-01-02T15:04:05Z"

// sdkImage is an image in the SDK's words. Every field of the SDK's Image
// that has a meaning here is filled; CdcCacheStatus (dedicated clusters)
// has none and stays absent.
func sdkImage(img *models.Image) *cvm.Image {
	return &cvm.Image{ImageId: ptr(img.ID), OsName: ptr(img.OsName), ImageType: ptr(img.Type),
		CreatedTime: ptr(img.CreatedAt.UTC().Format(timeLayout)), ImageName: ptr(img.Name),
		ImageDescription: ptr(img.Description), ImageSize: ptr(int64(img.SizeGiB)), Architecture: ptr(img.Arch),
		ImageState: ptr(img.State), Platform: ptr(img.Platform), ImageCreator: ptr(img.Creator),
		ImageSource: ptr(sdkImageSource(img.Source)), SyncPercent: ptr(int64(img.Progress)), IsSupportCloudinit: ptr(img.CloudInit),
		SnapshotSet: []*cvm.Snapshot{{SnapshotId: ptr(img.SystemSnapshot()), DiskUsage: ptr(diskUsageSystem),
			DiskSize: ptr(int64(img.SizeGiB))}},
		LicenseType: ptr(img.License), Tags: []*cvm.Tag{}, ImageFamily: ptr(img.Family), ImageDeprecated: ptr(img.Deprecated)}
}

// diskUsageSystem is the SDK's Snapshot.DiskUsage of a system disk: an
// image here holds one disk, its system disk.
const diskUsageSystem = "SYSTEM_DISK"

// sdkImageSource is an image's source among the SDK's values (OFFICIAL,
// CREATE_IMAGE, EXTERNAL_IMPORT). A market image was built by its provider
// from an instance of theirs, which the SDK calls CREATE_IMAGE.
func sdkImageSource(source string) string {
	if source == models.SourceMarket {
		return models.SourceCreate
	}
	return source
}

// describeImportImageOs is the supported list the console's import form uses.
func (a *API) describeImportImageOs(_ *call, _ *cvm.DescribeImportImageOsRequest) (*cvm.DescribeImportImageOsResponseParams, error) {
	supported := &cvm.ImageOsList{Windows: []*string{}, Linux: []*string{}}
	out := &cvm.DescribeImportImageOsResponseParams{ImportImageOsListSupported: supported,
		ImportImageOsVersionSet: make([]*cvm.OsVersion, 0, len(models.ImportOSList))}
	for _, o := range models.ImportOSList {
		if o.Family == "Windows" {
			supported.Windows = append(supported.Windows, ptr(o.OsType))
		} else {
			supported.Linux = append(supported.Linux, ptr(o.OsType))
		}
		out.ImportImageOsVersionSet = append(out.ImportImageOsVersionSet, &cvm.OsVersion{OsName: ptr(o.OsType),
			OsVersions: ptrs(o.Versions), Architecture: ptrs(o.Archs)})
	}
	return out, nil
}

// describeImageQuota is the account's R1 limit in the region.
func (a *API) describeImageQuota(c *call, _ *cvm.DescribeImageQuotaRequest) (*cvm.DescribeImageQuotaResponseParams, error) {
	n, err := a.store.ImageQuota(c.ctx, c.actor.AccountID, c.region.ID)
	if err != nil {
		return nil, err
	}
	return &cvm.DescribeImageQuotaResponseParams{ImageNumQuota: ptr(int64(n))}, nil
}
