/tmp/s4-probe/snap-main/probe/flowprobe -r /tmp/s4-probe/benchtmp/tmp.IvvKMsM9xS/long4.pcap -n 127.0.0.1:52062
