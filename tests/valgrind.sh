#!/bin/sh
# Runs $PAPERBIB_REAL under valgrind's memcheck: the shell tests use this
# script as $PAPERBIB in `make check-valgrind`. Any memory error or leak
# makes paperbib exit 99, which no test expects. exec keeps the process
# id, so tests that signal paperbib signal valgrind's guest.
: "${PAPERBIB_REAL:?PAPERBIB_REAL must name the paperbib binary}"
exec valgrind -q --leak-check=full \
	--suppressions="$(dirname "$0")/valgrind.supp" \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=99 "$PAPERBIB_REAL" "$@"
