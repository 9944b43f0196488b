/tmp/s3p/snap2/probe/flowprobe -r /tmp/tmp.JHqYhOFC4W/pareto.pcap -n 127.0.0.1:45886
