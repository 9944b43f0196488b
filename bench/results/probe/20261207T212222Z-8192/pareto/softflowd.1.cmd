/usr/sbin/softflowd -r /tmp/tmp.cE6hqUqJtp/pareto.pcap -n 127.0.0.1:46122 -v 9 -m 8192
