./probe/flowprobe -r /tmp/s4p/tmp.vaRXU13RIK/pareto.pcap -n 127.0.0.1:33633
