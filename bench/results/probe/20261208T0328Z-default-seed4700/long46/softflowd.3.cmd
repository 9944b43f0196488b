/usr/sbin/softflowd -r /tmp/s4p/tmp.vaRXU13RIK/long46.pcap -n 127.0.0.1:53632 -v 9
