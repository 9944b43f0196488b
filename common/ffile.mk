## common/ffile.mk -- see the issue that owns it
