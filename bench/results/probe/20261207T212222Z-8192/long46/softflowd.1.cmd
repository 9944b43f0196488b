/usr/sbin/softflowd -r /tmp/tmp.cE6hqUqJtp/long46.pcap -n 127.0.0.1:34821 -v 9 -m 8192
