/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.3PFLGhd5j3/long46.pcap -n 127.0.0.1:47912
