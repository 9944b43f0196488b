/usr/sbin/softflowd -r /tmp/s4p/tmp.vaRXU13RIK/long4.pcap -n 127.0.0.1:48602 -v 9
