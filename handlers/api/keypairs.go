package api

import (
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// keyPairActions are the CVM product's SSH key pair actions.
func (a *API) keyPairActions() map[string]action {
	return map[string]action{
		"CreateKeyPair":                 handle(cvm.NewCreateKeyPairRequest, a.createKeyPair),
		"ImportKeyPair":                 handle(cvm.NewImportKeyPairRequest, a.importKeyPair),
		"DescribeKeyPairs":              handle(cvm.NewDescribeKeyPairsRequest, a.describeKeyPairs),
		"DeleteKeyPairs":                handle(cvm.NewDeleteKeyPairsRequest, a.deleteKeyPairs),
		"AssociateInstancesKeyPairs":    handle(cvm.NewAssociateInstancesKeyPairsRequest, a.associateKeyPairs),
		"DisassociateInstancesKeyPairs": handle(cvm.NewDisassociateInstancesKeyPairsRequest, a.disassociateKeyPairs),
	}
}

func keyPairOut(kp *models.KeyPair) *cvm.KeyPair {
	return &cvm.KeyPair{KeyId: ptr(kp.ID), KeyName: ptr(kp.Name), ProjectId: ptr(kp.ProjectID), Description: ptr(kp.Description),
		PublicKey: ptr(kp.PublicKey), AssociatedInstanceIds: ptrs(kp.AssociatedInstanceIDs),
		CreatedTime: ptr(kp.CreatedAt.UTC().Format(timeLayout)), Tags: []*cvm.Tag{}}
}

func i64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// createKeyPair generates a pair; its private key is in this answer only.
func (a *API) createKeyPair(c *call, req *cvm.CreateKeyPairRequest) (*cvm.CreateKeyPairResponseParams, error) {
	kp, priv, err := a.store.CreateKeyPair(c.ctx, c.actor, c.region.ID, models.KeyPairInput{Name: str(req.KeyName), ProjectID: i64(req.ProjectId)})
	if err != nil {
		return nil, err
	}
	out := keyPairOut(kp)
	out.PrivateKey = &priv
	return &cvm.CreateKeyPairResponseParams{KeyPair: out}, nil
}

func (a *API) importKeyPair(c *call, req *cvm.ImportKeyPairRequest) (*cvm.ImportKeyPairResponseParams, error) {
	kp, err := a.store.ImportKeyPair(c.ctx, c.actor, c.region.ID, models.KeyPairInput{Name: str(req.KeyName),
		PublicKey: str(req.PublicKey), ProjectID: i64(req.ProjectId)})
	if err != nil {
		return nil, err
	}
	return &cvm.ImportKeyPairResponseParams{KeyId: &kp.ID}, nil
}

func (a *API) describeKeyPairs(c *call, req *cvm.DescribeKeyPairsRequest) (*cvm.DescribeKeyPairsResponseParams, error) {
	list, total, err := a.store.KeyPairs(c.ctx, c.actor, c.region.ID, models.NetworkQuery{IDs: strs(req.KeyIds),
		Filters: filters(req.Filters), Offset: int(i64(req.Offset)), Limit: int(i64(req.Limit))})
	if err != nil {
		return nil, err
	}
	set := make([]*cvm.KeyPair, len(list))
	for i := range list {
		set[i] = keyPairOut(&list[i])
	}
	return &cvm.DescribeKeyPairsResponseParams{TotalCount: &total, KeyPairSet: set}, nil
}

func (a *API) deleteKeyPairs(c *call, req *cvm.DeleteKeyPairsRequest) (*cvm.DeleteKeyPairsResponseParams, error) {
	if err := a.store.DeleteKeyPairs(c.ctx, c.actor, c.region.ID, strs(req.KeyIds)); err != nil {
		return nil, err
	}
	return &cvm.DeleteKeyPairsResponseParams{}, nil
}

func (a *API) associateKeyPairs(c *call, req *cvm.AssociateInstancesKeyPairsRequest) (*cvm.AssociateInstancesKeyPairsResponseParams, error) {
	if err := a.store.AssociateInstancesKeyPairs(c.ctx, c.actor, c.region.ID, strs(req.KeyIds), strs(req.InstanceIds), boolv(req.ForceStop)); err != nil {
		return nil, err
	}
	return &cvm.AssociateInstancesKeyPairsResponseParams{}, nil
}

func (a *API) disassociateKeyPairs(c *call, req *cvm.DisassociateInstancesKeyPairsRequest) (*cvm.DisassociateInstancesKeyPairsResponseParams, error) {
	if err := a.store.DisassociateInstancesKeyPairs(c.ctx, c.actor, c.region.ID, strs(req.KeyIds), strs(req.InstanceIds), boolv(req.ForceStop)); err != nil {
		return nil, err
	}
	return &cvm.DisassociateInstancesKeyPairsResponseParams{}, nil
}
