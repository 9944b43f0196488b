/tmp/s4-probe/snap-final/probe/flowprobe -r /tmp/s4-probe/benchtmp/tmp.mN43NE4EQp/short4.pcap -n 127.0.0.1:53384
