/tmp/s3p/snap2/probe/flowprobe -r /tmp/tmp.JHqYhOFC4W/short46.pcap -n 127.0.0.1:50306
