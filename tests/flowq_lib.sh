# tests/flowq_lib.sh -- the set-up the flowq golden tests share (sourced).
# Needs: GOLDEN, the golden files' name prefix (tests/data/${GOLDEN}NAME.out).
# Sets FLOWQ, GEN, DATA and T (a temporary directory, removed on exit),
# TZ=UTC, and the TAP counters n and fail used by ok and golden.
# REGEN=1 in the environment rewrites the golden files instead.
: "${top_builddir:=.}" "${top_srcdir:=.}"
FLOWQ="$(cd "$top_builddir" && pwd)/query/flowq"
GEN="$(cd "$top_builddir" && pwd)/tests/gen_flowfile"
DATA="$top_srcdir/tests/data"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
TZ=UTC
export TZ

n=0
fail=0
ok() {	# ok COND-STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; fail=1; fi
}

# golden NAME FLOWQ-ARGS...: stdout (run in $T) must equal
# tests/data/${GOLDEN}NAME.out
golden() {
	name=$1
	shift
	(cd "$T" && timeout 30 "$FLOWQ" "$@") > "$T/$name.got" 2> "$T/$name.err"
	[ -n "$REGEN" ] && cp "$T/$name.got" "$DATA/$GOLDEN$name.out"
	if cmp -s "$T/$name.got" "$DATA/$GOLDEN$name.out"; then
		ok 0 "$name: flowq $*"
	else
		ok 1 "$name: flowq $*"
		diff -u "$DATA/$GOLDEN$name.out" "$T/$name.got" |
		    sed 's/^/# /' | head -40
	fi
}
