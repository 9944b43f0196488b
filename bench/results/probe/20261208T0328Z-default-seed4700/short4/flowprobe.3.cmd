./probe/flowprobe -r /tmp/s4p/tmp.vaRXU13RIK/short4.pcap -n 127.0.0.1:43254
