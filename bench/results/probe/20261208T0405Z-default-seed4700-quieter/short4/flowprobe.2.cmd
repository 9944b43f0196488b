./probe/flowprobe -r /tmp/s4p/tmp.pWz5YBaxbH/short4.pcap -n 127.0.0.1:37595
