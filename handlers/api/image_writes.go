package api

import (
	"strings"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

func boolv(p *bool) bool { return p != nil && *p }

// createImage makes a custom image from an instance (a counted operation).
func (a *API) createImage(c *call, req *cvm.CreateImageRequest) (*cvm.CreateImageResponseParams, error) {
	// The SDK types both as strings ("true"/"false"); Packer's builder
	// sends "True"/"False", which the real API takes: case does not matter.
	for name, v := range map[string]*string{"ForcePoweroff": req.ForcePoweroff, "Sysprep": req.Sysprep} {
		if v != nil && !strings.EqualFold(*v, "true") && !strings.EqualFold(*v, "false") {
			return nil, models.FieldE(name, models.CodeInvalidParameterValue, "err.images.create.boolString", "Name", name)
		}
	}
	id, err := a.store.CreateImage(c.ctx, c.actor, str(req.InstanceId), models.ImageInput{Region: c.region.ID,
		Name: str(req.ImageName), Description: str(req.ImageDescription), Family: str(req.ImageFamily), DryRun: boolv(req.DryRun)})
	if err != nil {
		return nil, err
	}
	return &cvm.CreateImageResponseParams{ImageId: ptr(id)}, nil
}

// importImage imports an image file from a URL (a counted operation).
func (a *API) importImage(c *call, req *cvm.ImportImageRequest) (*cvm.ImportImageResponseParams, error) {
	id, err := a.store.ImportImage(c.ctx, c.actor, models.ImportInput{
		ImageInput: models.ImageInput{Region: c.region.ID, Name: str(req.ImageName), Description: str(req.ImageDescription),
			Family: str(req.ImageFamily), DryRun: boolv(req.DryRun)},
		OsType: str(req.OsType), OsVersion: str(req.OsVersion), Arch: str(req.Architecture), URL: str(req.ImageUrl),
		Force: boolv(req.Force), License: str(req.LicenseType)})
	if err != nil {
		return nil, err
	}
	return &cvm.ImportImageResponseParams{ImageId: ptr(id)}, nil
}

// modifyImageAttribute renames, re-describes, moves into a family or
// deprecates a custom image.
func (a *API) modifyImageAttribute(c *call, req *cvm.ModifyImageAttributeRequest) (*cvm.ModifyImageAttributeResponseParams, error) {
	return &cvm.ModifyImageAttributeResponseParams{},
		a.store.ModifyImageAttributes(c.ctx, c.actor, c.region.ID, str(req.ImageId), models.ImageAttributes{Name: req.ImageName,
			Description: req.ImageDescription, Family: req.ImageFamily, Deprecated: req.ImageDeprecated})
}

// deleteImages deletes custom images, all or none.
func (a *API) deleteImages(c *call, req *cvm.DeleteImagesRequest) (*cvm.DeleteImagesResponseParams, error) {
	if boolv(req.DryRun) {
		return nil, a.store.DryRunDeleteImages(c.ctx, c.actor, c.region.ID, strs(req.ImageIds))
	}
	return &cvm.DeleteImagesResponseParams{}, a.store.DeleteImages(c.ctx, c.actor, c.region.ID, strs(req.ImageIds))
}

// syncImages copies one custom image to other sync regions (R3).
func (a *API) syncImages(c *call, req *cvm.SyncImagesRequest) (*cvm.SyncImagesResponseParams, error) {
	copies, err := a.store.SyncImages(c.ctx, c.actor, c.region.ID, strs(req.ImageIds), strs(req.DestinationRegions), str(req.ImageName), boolv(req.DryRun))
	if err != nil {
		return nil, err
	}
	out := &cvm.SyncImagesResponseParams{}
	if boolv(req.ImageSetRequired) {
		out.ImageSet = make([]*cvm.SyncImage, 0, len(copies))
		for _, cp := range copies {
			out.ImageSet = append(out.ImageSet, &cvm.SyncImage{ImageId: ptr(cp.ImageID), Region: ptr(cp.Region)})
		}
	}
	return out, nil
}

// modifyImageSharePermission shares or stops sharing an image (R4).
func (a *API) modifyImageSharePermission(c *call, req *cvm.ModifyImageSharePermissionRequest) (*cvm.ModifyImageSharePermissionResponseParams, error) {
	return &cvm.ModifyImageSharePermissionResponseParams{},
		a.store.ModifySharePermission(c.ctx, c.actor, c.region.ID, str(req.ImageId), str(req.Permission), strs(req.AccountIds))
}

// describeImageSharePermission lists an image's recipients (owner only).
func (a *API) describeImageSharePermission(c *call, req *cvm.DescribeImageSharePermissionRequest) (*cvm.DescribeImageSharePermissionResponseParams, error) {
	shares, err := a.store.ImageShares(c.ctx, c.actor.AccountID, c.region.ID, str(req.ImageId))
	if err != nil {
		return nil, err
	}
	out := &cvm.DescribeImageSharePermissionResponseParams{SharePermissionSet: make([]*cvm.SharePermission, 0, len(shares))}
	for _, sh := range shares {
		out.SharePermissionSet = append(out.SharePermissionSet, &cvm.SharePermission{AccountId: ptr(sh.AccountID),
			CreatedTime: ptr(sh.CreatedAt.UTC().Format(timeLayout))})
	}
	return out, nil
}
