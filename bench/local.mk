## bench/local.mk -- benchmark scripts (not tests)
