# make install honours PREFIX and DESTDIR, and what it installs is usable:
# the binary runs, the man pages render, and a program builds against the
# headers and the library.
. tests/lib.sh
: "${PAPERBIB_BUILD:?PAPERBIB_BUILD must name the build folder (make shtest sets it)}"
make -s --no-print-directory install BUILD="$PAPERBIB_BUILD" DESTDIR="$TMP/root" PREFIX=/opt/pb >"$TMP/log" 2>&1 ||
	{ cat "$TMP/log"; fail "make install failed"; }
p="$TMP/root/opt/pb"
for f in bin/paperbib lib/libpaperbib.a include/paperbib/paperbib.h include/paperbib/record.h \
	share/man/man1/paperbib.1 share/man/man5/paperbib.ini.5; do
	[ -f "$p/$f" ] || fail "make install did not install $f"
done
"$p/bin/paperbib" --version | grep -q '^paperbib ' || fail "installed binary does not run"
cat >"$TMP/use.c" <<'C'
#include <paperbib/paperbib.h>
#include <stdio.h>
int main(void)
{
	pb_name n;
	if (pb_name_parse(&n, "Mihaela van der Schaar") != PB_OK)
		return 1;
	printf("%s|%s\n", n.family, pb_format_find("ris") ? "ris" : "none");
	pb_name_clear(&n);
	return 0;
}
C
cc -std=c11 -Wall -Werror ${PAPERBIB_SAN_FLAGS:-} -I"$p/include" -o "$TMP/use" "$TMP/use.c" "$p/lib/libpaperbib.a" \
	$(pkg-config --libs libxml-2.0 jansson) -liniparser -lcmark-gfm-extensions -lcmark-gfm -pthread 2>"$TMP/cc" || { cat "$TMP/cc"; fail "cannot build against the installed library"; }
[ "$("$TMP/use")" = "van der Schaar|ris" ] || fail "program against the library gave: $("$TMP/use")"
echo "install ok"
