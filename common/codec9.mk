## common/codec9.mk -- see the issue that owns it
