# iommu (user/drivers/iommu): the IOMMU service, VT-d DMA remapping for the
# functions whose frames a caller lends (user/README.md, "The IOMMU service").
$(eval $(call user_app,iommu,user/drivers/iommu/main.c user/drivers/iommu/vtd.c,user/drivers/iommu/iommu.manifest))
