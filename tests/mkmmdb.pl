#!/usr/bin/perl
# tests/mkmmdb.pl -- write two small MaxMind DB files for the GeoIP/ASN
# tests with Debian's libmaxmind-db-writer-perl:
#   mkmmdb.pl COUNTRY.mmdb ASN.mmdb
# Networks (documentation and private ranges, so nothing real):
#   192.0.2.0/24 FR, 198.51.100.0/24 DE (AS 64500 "Example Transit"),
#   203.0.113.0/25 JP (AS 64501 "Example Eyeballs"),
#   203.0.113.128/25 only a registered country: US,
#   2001:db8:1::/48 NL (AS 64502 "Example v6"), 10.0.0.0/8 no data.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %types = (
	country => 'map', registered_country => 'map', iso_code => 'utf8_string',
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
);

sub tree {
	my ($type) = @_;
	return MaxMind::DB::Writer::Tree->new(
		ip_version => 6, record_size => 24, database_type => $type,
		languages => ['en'], description => { en => "flowkit test $type" },
		map_key_type_callback => sub { $types{ $_[0] } },
		remove_reserved_networks => 0, alias_ipv6_to_ipv4 => 1,
	);
}

my $cc = tree('flowkit-test-Country');
$cc->insert_network('192.0.2.0/24', { country => { iso_code => 'FR' } });
$cc->insert_network('198.51.100.0/24', { country => { iso_code => 'DE' } });
$cc->insert_network('203.0.113.0/25', { country => { iso_code => 'JP' } });
$cc->insert_network('203.0.113.128/25',
    { registered_country => { iso_code => 'US' } });
$cc->insert_network('2001:db8:1::/48', { country => { iso_code => 'NL' } });

my $as = tree('flowkit-test-ASN');
$as->insert_network('198.51.100.0/24', { autonomous_system_number => 64500,
    autonomous_system_organization => 'Example Transit' });
$as->insert_network('203.0.113.0/25', { autonomous_system_number => 64501,
    autonomous_system_organization => 'Example Eyeballs' });
$as->insert_network('2001:db8:1::/48', { autonomous_system_number => 64502,
    autonomous_system_organization => 'Example v6' });

for ([$cc, $ARGV[0]], [$as, $ARGV[1]]) {
	my ($t, $file) = @$_;
	open(my $fh, '>:raw', $file) or die "$file: $!";
	$t->write_tree($fh);
	close($fh) or die "$file: $!";
}
