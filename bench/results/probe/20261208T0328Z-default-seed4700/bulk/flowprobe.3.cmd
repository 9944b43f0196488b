./probe/flowprobe -r /tmp/s4p/tmp.vaRXU13RIK/bulk.pcap -n 127.0.0.1:51029
