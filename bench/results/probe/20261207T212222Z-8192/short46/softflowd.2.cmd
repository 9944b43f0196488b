/usr/sbin/softflowd -r /tmp/tmp.cE6hqUqJtp/short46.pcap -n 127.0.0.1:49139 -v 9 -m 8192
