/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.ki1OBoGLg2/bulk.pcap -n 127.0.0.1:59336
