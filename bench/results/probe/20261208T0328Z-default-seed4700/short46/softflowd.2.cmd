/usr/sbin/softflowd -r /tmp/s4p/tmp.vaRXU13RIK/short46.pcap -n 127.0.0.1:38431 -v 9
