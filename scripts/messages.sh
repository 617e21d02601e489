#!/usr/bin/env bash
# Extract and compile the French, Dutch and German translations.
#   scripts/messages.sh            the kernel (cpas_portal/, templates/ outside the domain apps) → locale/
#   scripts/messages.sh APP        a domain app (APP/ and templates/APP/) → APP/locale/
# Then fill the empty msgstr of the .po files and run the same command again to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
app=${1:-}
if [ -z "$app" ]; then
  mkdir -p locale
  $py manage.py makemessages -l fr -l nl -l de --no-obsolete \
    --ignore='.venv/*' --ignore='measures/*' --ignore='conventions/*' --ignore='reimbursements/*' \
    --ignore='templates/measures/*' --ignore='templates/conventions/*' --ignore='templates/reimbursements/*' \
    --ignore='templates/pdf/*' --ignore='templates/piis/*' --ignore='templates/activation/*' \
    --ignore='templates/interventions/*' --ignore='tests/*' --ignore='staticfiles/*' \
    --ignore='private_documents/*' --ignore='media/*' >/dev/null
  $py manage.py compilemessages -l fr -l nl -l de --ignore='.venv/*' --ignore='measures/*' --ignore='conventions/*' \
    --ignore='reimbursements/*' >/dev/null
else
  mkdir -p "$app/locale"
  # makemessages only walks the current folder: link the app's templates in for the time of the run.
  # The measure apps under measures/ (piis, activation, interventions) share the measures catalogue.
  dirs="templates/$app templates/pdf"
  [ "$app" = measures ] && dirs="$dirs templates/piis templates/activation templates/interventions"
  for dir in $dirs; do
    [ -d "$dir" ] && ln -sfn "../$dir" "$app/_templates_$(basename "$dir")"
  done
  trap 'rm -f "$app"/_templates_*' EXIT
  (cd "$app" && ../$py ../manage.py makemessages -l fr -l nl -l de --no-obsolete --symlinks \
     --ignore='migrations/*' >/dev/null)
  (cd "$app" && ../$py ../manage.py compilemessages -l fr -l nl -l de >/dev/null)
fi
