/tmp/s3p/snap/probe/flowprobe -r /tmp/tmp.TDUBpNFlZb/long46.pcap -n 127.0.0.1:50629
