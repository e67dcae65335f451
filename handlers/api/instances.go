package api

import (
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"
)

func (a *API) instanceActions() map[string]action {
	return map[string]action{
		"RunInstances":             pending(cvm.NewRunInstancesRequest),
		"DescribeInstances":        pending(cvm.NewDescribeInstancesRequest),
		"StartInstances":           pending(cvm.NewStartInstancesRequest),
		"StopInstances":            pending(cvm.NewStopInstancesRequest),
		"RebootInstances":          pending(cvm.NewRebootInstancesRequest),
		"TerminateInstances":       pending(cvm.NewTerminateInstancesRequest),
		"ResetInstance":            pending(cvm.NewResetInstanceRequest),
		"InquiryPriceRunInstances": pending(cvm.NewInquiryPriceRunInstancesRequest),
	}
}
