/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.cE6hqUqJtp/long46.pcap -n 127.0.0.1:42454 -m 8192
