/tmp/s3p/snap2/probe/flowprobe -r /tmp/tmp.JHqYhOFC4W/short4.pcap -n 127.0.0.1:41489
