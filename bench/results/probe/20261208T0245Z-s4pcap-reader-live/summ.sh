#!/bin/sh
# summ.sh OUT: per binary: n, best wall, median wall, best cpu, median cpu, load range
gawk '{w[$1]=w[$1]" "$2; c[$1]=c[$1]" "($3+$4); s[$1]=s[$1]" "$4; l[$1]=l[$1]" "$6}
END{for(b in w){n=split(w[b],W," ");split(c[b],C," ");split(s[b],S," ");split(l[b],L," ");
 asort(W);asort(C);asort(S);asort(L);
 printf "%-22s n=%d wall best %.2f med %.2f | cpu best %.2f med %.2f | sys med %.2f | load %.1f-%.1f\n",b,n,W[1],W[int((n+1)/2)],C[1],C[int((n+1)/2)],S[int((n+1)/2)],L[1],L[n]}}' $1 | sort
