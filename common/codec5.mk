## common/codec5.mk -- see the issue that owns it
