## collector/local.mk -- filled in by its issue
