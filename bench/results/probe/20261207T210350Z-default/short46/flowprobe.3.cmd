/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.ki1OBoGLg2/short46.pcap -n 127.0.0.1:49297
