/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.ki1OBoGLg2/long46.pcap -n 127.0.0.1:47590
