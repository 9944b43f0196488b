/usr/sbin/softflowd -r /tmp/s4p/tmp.vaRXU13RIK/pareto.pcap -n 127.0.0.1:53383 -v 9
