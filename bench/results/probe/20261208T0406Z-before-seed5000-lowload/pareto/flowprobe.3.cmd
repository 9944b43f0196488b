/tmp/s4-probe/snap-base/probe/flowprobe -r /tmp/s4-probe/benchtmp/tmp.piis5kDDbH/pareto.pcap -n 127.0.0.1:49779
