#!/bin/sh
# demo.sh -- install what flowkit needs (Debian), build it, and run the
# demo pipeline on a generated capture.  Run from the source tree as root
# (or with sudo).
set -e
cd "$(dirname "$0")"
if command -v apt-get >/dev/null 2>&1; then
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends $(cat .ci/packages)
fi
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure
make -j"$(nproc 2>/dev/null || echo 2)"
if [ -x tests/demo_pipeline.sh ]; then
	sh tests/demo_pipeline.sh
	echo
	echo "More questions to ask: flowq(1) (man -l man/flowq.1) and the filter"
	echo "language, flowkit-filter(7).  Your own capture: flowprobe -r file.pcap -d"
else
	echo "flowkit built; the demo pipeline arrives with flowprobe, flowcapd and flowq"
fi
