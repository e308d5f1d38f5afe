# Sourced by the study scripts: read a rule of the protocol file "$protocol" (the text after
# "NAME = ") and trim the spaces around a list item. One reader, as growth_table.py's rules()
# is for the Python summaries.
rule() { sed -n "s/^$1 *= *//p" "$protocol"; }
trim() { local x=$1; x=${x#"${x%%[![:space:]]*}"}; echo "${x%"${x##*[![:space:]]}"}"; }
